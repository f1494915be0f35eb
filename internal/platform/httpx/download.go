package httpx

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// lazyWriter sends the download's headers with the first byte, so that a
// failure before any byte was written can still be answered as an error.
type lazyWriter struct {
	hc          huma.Context
	contentType string
	disposition string
	started     bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.hc.SetHeader("Content-Type", l.contentType)
		l.hc.SetHeader("Content-Disposition", l.disposition)
		l.hc.SetStatus(http.StatusOK)
	}
	return l.hc.BodyWriter().Write(p)
}

// Download streams a file that write produces straight to the response (an
// Excel export of a million rows never sits in memory). Handlers check
// permissions and input before returning the huma.StreamResponse that calls
// it; an error from write before its first byte is answered like any other
// error ({code, message}); after it, the response is cut short and the
// error logged.
func Download(hc huma.Context, contentType, disposition string, write func(w io.Writer) error) {
	lw := &lazyWriter{hc: hc, contentType: contentType, disposition: disposition}
	err := write(lw)
	if err == nil {
		if !lw.started {
			_, _ = lw.Write(nil)
		}
		return
	}
	b := Body(err)
	if lw.started {
		return // Body logged it; the client sees a truncated file.
	}
	hc.SetHeader("Content-Type", "application/json; charset=utf-8")
	hc.SetStatus(b.status)
	_ = jsonEncode(hc.BodyWriter(), b)
}

func jsonEncode(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }

// XLSX is the content type of Excel downloads.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// StreamDownload is the response of an export handler: the file write
// produces, streamed (see Download). write runs while the response is being
// sent, with the handler's context.
func StreamDownload(contentType, disposition string, write func(w io.Writer) error) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hc huma.Context) { Download(hc, contentType, disposition, write) }}
}
