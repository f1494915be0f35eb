package files

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
)

// Kind is an allowed family of content, decided from the bytes, never from
// the file name.
type Kind string

const (
	KindPDF   Kind = "pdf"   // PDF
	KindOOXML Kind = "ooxml" // Word/Excel/PowerPoint 2007+ (docx, xlsx, pptx)
	KindOLE   Kind = "ole"   // Word/Excel/PowerPoint 97–2003 (doc, xls, ppt)
	KindOFD   Kind = "ofd"   // 版式文档 OFD (GB/T 33190)
	KindJPEG  Kind = "jpeg"
	KindPNG   Kind = "png"
	KindText  Kind = "text" // plain text, CSV
)

// Label is the Chinese name of the kind shown to users.
func (k Kind) Label() string {
	switch k {
	case KindPDF:
		return "PDF 文档"
	case KindOOXML:
		return "Office 文档"
	case KindOLE:
		return "Office 97-2003 文档"
	case KindOFD:
		return "OFD 版式文档"
	case KindJPEG:
		return "JPEG 图片"
	case KindPNG:
		return "PNG 图片"
	case KindText:
		return "文本文件"
	}
	return string(k)
}

// allowedText lists the accepted types for the refusal message.
const allowedText = "PDF、Word/Excel/PowerPoint（含 97-2003 格式）、OFD、JPEG、PNG、纯文本"

// sniffLen is how much of the head detection reads (DetectContentType uses 512).
const sniffLen = 8192

// Detected is the verdict on a file's content.
type Detected struct {
	Kind        Kind
	ContentType string
}

// Detect decides from the content (head is the first bytes, ra/size give
// random access to the whole file for zip containers) whether the file is
// of an allowed type. name is used only to pick the exact Office MIME type
// inside a family already proven by the bytes, and for the message.
func Detect(head []byte, ra io.ReaderAt, size int64, name string) (Detected, error) {
	if size == 0 {
		return Detected{}, apperr.Field("file", "文件「%s」为空文件，不能上传", name)
	}
	if why := executable(head); why != "" {
		return Detected{}, apperr.Field("file", "文件「%s」的内容是%s，禁止上传（系统按文件内容而不是扩展名判断类型）", name, why)
	}
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return Detected{KindPDF, "application/pdf"}, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return Detected{KindJPEG, "image/jpeg"}, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return Detected{KindPNG, "image/png"}, nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		ct := "application/msword"
		switch ext {
		case ".xls", ".et":
			ct = "application/vnd.ms-excel"
		case ".ppt", ".dps":
			ct = "application/vnd.ms-powerpoint"
		}
		return Detected{KindOLE, ct}, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return detectZip(ra, size, name)
	}
	ct := http.DetectContentType(head)
	if strings.HasPrefix(ct, "text/plain") {
		if !utf8.Valid(trimPartialRune(head)) && !plausibleGB(head) {
			return Detected{}, apperr.Field("file", "文件「%s」不是可识别的文本编码，请另存为 UTF-8 或 PDF 后上传", name)
		}
		return Detected{KindText, "text/plain; charset=utf-8"}, nil
	}
	return Detected{}, apperr.Field("file", "文件「%s」的类型（%s）不在允许范围内；允许的类型：%s", name, describe(ct), allowedText)
}

// executable names the kind of program in head, or "" when it is none.
func executable(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "可执行程序（ELF）"
	case bytes.HasPrefix(head, []byte("MZ")):
		return "可执行程序（Windows EXE/DLL）"
	case bytes.HasPrefix(head, []byte{0xFE, 0xED, 0xFA, 0xCE}), bytes.HasPrefix(head, []byte{0xFE, 0xED, 0xFA, 0xCF}),
		bytes.HasPrefix(head, []byte{0xCE, 0xFA, 0xED, 0xFE}), bytes.HasPrefix(head, []byte{0xCF, 0xFA, 0xED, 0xFE}),
		bytes.HasPrefix(head, []byte{0xCA, 0xFE, 0xBA, 0xBE}):
		return "可执行程序（Mach-O 或 Java 类文件）"
	case bytes.HasPrefix(head, []byte("\x00asm")):
		return "可执行程序（WebAssembly）"
	case bytes.HasPrefix(bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n"), []byte("#!")):
		return "脚本程序"
	}
	return ""
}

// detectZip accepts the zip containers that are documents: OOXML (a
// [Content_Types].xml with word/, xl/ or ppt/ parts) and OFD (OFD.xml at the
// root). Any zip holding an executable is refused.
func detectZip(ra io.ReaderAt, size int64, name string) (Detected, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return Detected{}, apperr.Field("file", "文件「%s」是损坏的压缩文档，无法识别", name)
	}
	var contentTypes, word, excel, ppt, ofd bool
	for _, f := range zr.File {
		n := f.Name
		switch {
		case n == "[Content_Types].xml":
			contentTypes = true
		case strings.HasPrefix(n, "word/"):
			word = true
		case strings.HasPrefix(n, "xl/"):
			excel = true
		case strings.HasPrefix(n, "ppt/"):
			ppt = true
		case n == "OFD.xml":
			ofd = true
		}
		if !strings.HasSuffix(n, "/") && f.UncompressedSize64 > 0 {
			if why := zipMemberExecutable(f); why != "" {
				return Detected{}, apperr.Field("file", "文件「%s」内含%s（%s），禁止上传", name, why, n)
			}
		}
	}
	switch {
	case contentTypes && word:
		return Detected{KindOOXML, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}, nil
	case contentTypes && excel:
		return Detected{KindOOXML, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, nil
	case contentTypes && ppt:
		return Detected{KindOOXML, "application/vnd.openxmlformats-officedocument.presentationml.presentation"}, nil
	case ofd:
		return Detected{KindOFD, "application/ofd"}, nil
	}
	return Detected{}, apperr.Field("file", "文件「%s」是普通压缩包，不在允许范围内；请上传文档本身。允许的类型：%s", name, allowedText)
}

func zipMemberExecutable(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	var b [8]byte
	n, _ := io.ReadFull(rc, b[:])
	return executable(b[:n])
}

// trimPartialRune drops an incomplete UTF-8 sequence cut off at the end of
// the sniffed head.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		r, size := utf8.DecodeLastRune(b)
		if r != utf8.RuneError || size != 1 {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

// plausibleGB accepts GBK/GB18030 text (still common in government
// exports): every high byte starts a valid two- or four-byte sequence.
func plausibleGB(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
		case c >= 0x81 && c <= 0xFE:
			if i+1 >= len(b) {
				return true // cut off at the end of the head
			}
			d := b[i+1]
			if d >= 0x40 && d <= 0xFE && d != 0x7F {
				i += 2
			} else if d >= 0x30 && d <= 0x39 {
				i += 4
			} else {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func describe(ct string) string {
	if i := strings.Index(ct, ";"); i > 0 {
		ct = ct[:i]
	}
	switch {
	case strings.HasPrefix(ct, "text/html"):
		return "网页 HTML"
	case strings.HasPrefix(ct, "application/zip"):
		return "压缩包"
	case strings.HasPrefix(ct, "application/x-gzip"), strings.HasPrefix(ct, "application/x-rar"), strings.HasPrefix(ct, "application/x-7z"):
		return "压缩包"
	case ct == "application/octet-stream":
		return "未知二进制文件"
	}
	return ct
}
