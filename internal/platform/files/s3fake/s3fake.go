// Package s3fake is an in-memory S3 server for tests: path-style bucket and
// object requests (HEAD/GET/PUT/DELETE), enough for minio-go's
// BucketExists, PutObject (plain, UNSIGNED-PAYLOAD or the aws-chunked
// streaming signature format), GetObject, StatObject and RemoveObject. It
// checks that requests are signed with AWS signature V4 by a known access
// key but does not verify signatures.
package s3fake

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Test credentials the server accepts.
const (
	AccessKey = "fazhi-test-access"
	SecretKey = "fazhi-test-secret"
)

// Object is one stored object.
type Object struct {
	Data        []byte
	ContentType string
	Modified    time.Time
}

// Request is what the server saw of one request.
type Request struct {
	Method, Path  string
	ContentSHA256 string // X-Amz-Content-Sha256
}

// Server is a running fake. Close it when done.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	buckets  map[string]map[string]Object
	requests []Request
}

// New starts a server holding the given (empty) buckets.
func New(buckets ...string) *Server {
	s := &Server{buckets: map[string]map[string]Object{}}
	for _, b := range buckets {
		s.buckets[b] = map[string]Object{}
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// NewTLS starts a server answering HTTPS; clients need s.Client().Transport
// to trust its certificate.
func NewTLS(buckets ...string) *Server {
	s := &Server{buckets: map[string]map[string]Object{}}
	for _, b := range buckets {
		s.buckets[b] = map[string]Object{}
	}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is host:port for --s3-endpoint.
func (s *Server) Endpoint() string { return s.Listener.Addr().String() }

// Object returns a stored object.
func (s *Server) Object(bucket, name string) (Object, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.buckets[bucket][name]
	return o, ok
}

// Keys lists a bucket's object names, sorted.
func (s *Server) Keys(bucket string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []string{}
	for k := range s.buckets[bucket] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Requests returns the requests seen so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

type errorBody struct {
	XMLName    xml.Name `xml:"Error"`
	Code       string   `xml:"Code"`
	Message    string   `xml:"Message"`
	BucketName string   `xml:"BucketName,omitempty"`
	Key        string   `xml:"Key,omitempty"`
	Resource   string   `xml:"Resource"`
	RequestID  string   `xml:"RequestId"`
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg, bucket, key string) {
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	b, _ := xml.Marshal(errorBody{Code: code, Message: msg, BucketName: bucket, Key: key, Resource: r.URL.Path, RequestID: "fake"})
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(b)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, ContentSHA256: r.Header.Get("X-Amz-Content-Sha256")})
	s.mu.Unlock()

	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		writeError(w, r, http.StatusForbidden, "AccessDenied", "request is not signed with AWS signature V4", bucket, key)
		return
	}
	if !strings.Contains(auth, "Credential="+AccessKey+"/") {
		writeError(w, r, http.StatusForbidden, "InvalidAccessKeyId", "The Access Key Id you provided does not exist in our records.", bucket, key)
		return
	}
	s.mu.Lock()
	objects, ok := s.buckets[bucket]
	s.mu.Unlock()
	if bucket == "" || !ok {
		writeError(w, r, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist", bucket, key)
		return
	}
	if key == "" {
		s.serveBucket(w, r, bucket, objects)
		return
	}
	switch r.Method {
	case http.MethodPut:
		if r.Header.Get("X-Amz-Copy-Source") != "" || r.URL.Query().Has("uploadId") {
			writeError(w, r, http.StatusNotImplemented, "NotImplemented", "copy and multipart uploads are not supported by the fake", bucket, key)
			return
		}
		data, err := readPayload(r)
		if err != nil {
			writeError(w, r, http.StatusBadRequest, "BadDigest", err.Error(), bucket, key)
			return
		}
		ct := r.Header.Get("Content-Type")
		if ct == "" {
			ct = "binary/octet-stream"
		}
		s.mu.Lock()
		objects[key] = Object{Data: data, ContentType: ct, Modified: time.Now().UTC()}
		s.mu.Unlock()
		w.Header().Set("ETag", etag(data))
		w.WriteHeader(http.StatusOK)
	case http.MethodGet, http.MethodHead:
		s.mu.Lock()
		o, ok := objects[key]
		s.mu.Unlock()
		if !ok {
			writeError(w, r, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", bucket, key)
			return
		}
		h := w.Header()
		h.Set("Content-Type", o.ContentType)
		h.Set("Content-Length", strconv.Itoa(len(o.Data)))
		h.Set("ETag", etag(o.Data))
		h.Set("Last-Modified", o.Modified.Format(http.TimeFormat))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			w.Write(o.Data)
		}
	case http.MethodDelete:
		s.mu.Lock()
		delete(objects, key)
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "method not allowed", bucket, key)
	}
}

type listResult struct {
	XMLName  xml.Name `xml:"ListBucketResult"`
	Name     string   `xml:"Name"`
	KeyCount int      `xml:"KeyCount"`
	Contents []struct {
		Key  string `xml:"Key"`
		Size int    `xml:"Size"`
	} `xml:"Contents"`
}

func (s *Server) serveBucket(w http.ResponseWriter, r *http.Request, bucket string, objects map[string]Object) {
	switch r.Method {
	case http.MethodHead:
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		w.Header().Set("Content-Type", "application/xml")
		if r.URL.Query().Has("location") {
			fmt.Fprintf(w, `%s<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-east-1</LocationConstraint>`, xml.Header)
			return
		}
		res := listResult{Name: bucket}
		for _, k := range s.Keys(bucket) {
			o, _ := s.Object(bucket, k)
			res.Contents = append(res.Contents, struct {
				Key  string `xml:"Key"`
				Size int    `xml:"Size"`
			}{k, len(o.Data)})
		}
		res.KeyCount = len(res.Contents)
		b, _ := xml.Marshal(res)
		w.Write([]byte(xml.Header))
		w.Write(b)
	default:
		writeError(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "method not allowed", bucket, "")
	}
}

func etag(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// readPayload returns the object bytes of a PUT: the body as sent, or
// decoded from aws-chunked when the client used a streaming signature.
// A declared SHA-256 or decoded length that does not match is an error.
func readPayload(r *http.Request) ([]byte, error) {
	mode := r.Header.Get("X-Amz-Content-Sha256")
	if strings.HasPrefix(mode, "STREAMING-") {
		data, err := decodeChunked(bufio.NewReader(r.Body))
		if err != nil {
			return nil, err
		}
		if dl := r.Header.Get("X-Amz-Decoded-Content-Length"); dl != "" && dl != strconv.Itoa(len(data)) {
			return nil, fmt.Errorf("decoded length %d, header says %s", len(data), dl)
		}
		return data, nil
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if mode != "" && mode != "UNSIGNED-PAYLOAD" {
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != mode {
			return nil, errors.New("x-amz-content-sha256 does not match the body")
		}
	}
	return data, nil
}

// decodeChunked reads "size;chunk-signature=…\r\n data \r\n" chunks up to
// the zero-size one, then skips optional trailer lines.
func decodeChunked(br *bufio.Reader) ([]byte, error) {
	var out bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("chunk header: %w", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimRight(line, "\r\n"), ";")
		n, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, up to an empty line or the end
				l, err := br.ReadString('\n')
				if strings.TrimRight(l, "\r\n") == "" || err != nil {
					return out.Bytes(), nil
				}
			}
		}
		if _, err := io.CopyN(&out, br, n); err != nil {
			return nil, fmt.Errorf("chunk data: %w", err)
		}
		if crlf, err := br.ReadString('\n'); err != nil || crlf != "\r\n" {
			return nil, fmt.Errorf("chunk end %q: %v", crlf, err)
		}
	}
}
