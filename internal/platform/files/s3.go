package files

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// DefaultS3Region is the region signed into requests when none is set.
// MinIO accepts it unless its administrator configured another one.
const DefaultS3Region = "us-east-1"

// S3Config selects S3-compatible object storage (MinIO on a government
// cloud, or any S3 service) for evidence files instead of a local
// directory. It is off unless Endpoint or Bucket is set.
type S3Config struct {
	Endpoint  string // host:port (a leading http:// or https:// must agree with Secure)
	Bucket    string // must already exist
	AccessKey string
	SecretKey string
	Region    string // signed into requests; "" means DefaultS3Region
	Secure    bool   // TLS
	Prefix    string // optional folder inside the bucket, e.g. "fazhi"

	// MaxRetries bounds attempts per request; 0 means 3.
	MaxRetries int
	// Transport replaces the HTTP transport (tests); nil means minio's default.
	Transport http.RoundTripper
	// Logger receives storage failures; nil means slog.Default().
	Logger *slog.Logger
}

// Enabled reports whether S3 storage was asked for.
func (c S3Config) Enabled() bool {
	return strings.TrimSpace(c.Endpoint) != "" || strings.TrimSpace(c.Bucket) != ""
}

// Validate checks the settings without contacting the server. Messages
// name the flags an operator sets.
func (c S3Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	var missing []string
	if strings.TrimSpace(c.Endpoint) == "" {
		missing = append(missing, "--s3-endpoint (FAZHI_S3_ENDPOINT)")
	}
	if strings.TrimSpace(c.Bucket) == "" {
		missing = append(missing, "--s3-bucket (FAZHI_S3_BUCKET)")
	}
	if c.AccessKey == "" {
		missing = append(missing, "--s3-access-key (FAZHI_S3_ACCESS_KEY)")
	}
	if c.SecretKey == "" {
		missing = append(missing, "--s3-secret-key (FAZHI_S3_SECRET_KEY)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("使用对象存储保存附件时还须设置：%s", strings.Join(missing, "、"))
	}
	if _, err := c.host(); err != nil {
		return err
	}
	if err := s3utils.CheckValidBucketNameStrict(strings.TrimSpace(c.Bucket)); err != nil {
		return fmt.Errorf("--s3-bucket 存储桶名称「%s」不合规（3 到 63 位小写字母、数字、点或连字符，以字母或数字开头和结尾）", c.Bucket)
	}
	if p := c.prefix(); p != "" {
		for _, seg := range strings.Split(p, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\") {
				return fmt.Errorf("--s3-prefix「%s」不合规：应为形如 fazhi 或 gov/fazhi 的目录名", c.Prefix)
			}
		}
		if err := s3utils.CheckValidObjectName(p + "x"); err != nil {
			return fmt.Errorf("--s3-prefix「%s」不合规：%v", c.Prefix, err)
		}
	}
	return nil
}

// host returns the endpoint as host[:port], checking a scheme if given.
func (c S3Config) host() (string, error) {
	ep := strings.TrimSpace(c.Endpoint)
	if strings.Contains(ep, "://") {
		u, err := url.Parse(ep)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("--s3-endpoint「%s」不是有效地址，应写成 主机:端口，如 minio.example.gov.cn:9000", c.Endpoint)
		}
		switch {
		case u.Scheme == "http" && c.Secure:
			return "", fmt.Errorf("--s3-endpoint 以 http:// 开头，但 --s3-secure 为 true（使用 TLS）；不使用 TLS 时请设置 --s3-secure=false")
		case u.Scheme == "https" && !c.Secure:
			return "", fmt.Errorf("--s3-endpoint 以 https:// 开头，但 --s3-secure 为 false；请去掉 --s3-secure=false")
		case u.Scheme != "http" && u.Scheme != "https":
			return "", fmt.Errorf("--s3-endpoint「%s」只能以 http:// 或 https:// 开头，或直接写 主机:端口", c.Endpoint)
		}
		if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
			return "", fmt.Errorf("--s3-endpoint「%s」不能带路径；存储桶用 --s3-bucket，目录用 --s3-prefix", c.Endpoint)
		}
		ep = u.Host
	}
	if ep == "" || strings.ContainsAny(ep, "/?# ") {
		return "", fmt.Errorf("--s3-endpoint「%s」不是有效地址，应写成 主机:端口，如 minio.example.gov.cn:9000", c.Endpoint)
	}
	return ep, nil
}

// prefix is Prefix without surrounding slashes.
func (c S3Config) prefix() string { return strings.Trim(strings.TrimSpace(c.Prefix), "/") }

// S3 keeps evidence in an S3-compatible bucket. Object names are the same
// content-addressed keys Local uses ("sha256/ab/ab12…"), under the optional
// prefix, so a local store can be copied into a bucket as it is.
type S3 struct {
	client   *minio.Client
	core     minio.Core
	bucket   string
	prefix   string // "" or "dir/"
	endpoint string
	log      *slog.Logger
}

// NewS3 connects to the server and checks that the bucket exists, so that a
// wrong endpoint, key or bucket stops start-up with a clear message rather
// than failing the first upload.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	host, _ := cfg.host()
	region := strings.TrimSpace(cfg.Region)
	if region == "" {
		region = DefaultS3Region
	}
	retries := cfg.MaxRetries
	if retries <= 0 {
		retries = 3
	}
	client, err := minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure,
		// Setting the region means no GetBucketLocation round trip;
		// path-style addressing works with MinIO behind a plain host name.
		Region:       region,
		BucketLookup: minio.BucketLookupPath,
		Transport:    cfg.Transport,
		MaxRetries:   retries,
	})
	if err != nil {
		return nil, fmt.Errorf("--s3-endpoint「%s」无法使用：%v", cfg.Endpoint, err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &S3{client: client, core: minio.Core{Client: client}, bucket: strings.TrimSpace(cfg.Bucket), endpoint: host, log: log}
	if p := cfg.prefix(); p != "" {
		s.prefix = p + "/"
	}

	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ok, err := client.BucketExists(cctx, s.bucket)
	if err != nil {
		switch minio.ToErrorResponse(err).Code {
		case minio.AccessDenied, "InvalidAccessKeyId", "SignatureDoesNotMatch":
			return nil, fmt.Errorf("对象存储 %s 拒绝访问存储桶「%s」：请检查 --s3-access-key、--s3-secret-key 及该账号对存储桶的权限（%v）", host, s.bucket, err)
		case "AuthorizationHeaderMalformed", "InvalidRegion":
			return nil, fmt.Errorf("对象存储 %s 不接受区域「%s」：请用 --s3-region 设置服务端配置的区域（%v）", host, region, err)
		}
		return nil, fmt.Errorf("无法连接对象存储 %s（存储桶「%s」）：%v；请检查 --s3-endpoint、--s3-secure 与网络", host, s.bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("对象存储 %s 上不存在存储桶「%s」：请先创建该存储桶，或检查 --s3-bucket", host, s.bucket)
	}
	return s, nil
}

func (s *S3) object(key string) string { return s.prefix + key }

// Put stores r as application/octet-stream; the service uses PutTyped.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	return s.PutTyped(ctx, key, "", r, size)
}

// PutTyped streams size bytes to the bucket with their Content-Type. The
// SHA-256 of what was sent is checked against the key; on a mismatch the
// object is deleted again so nothing wrong stays stored.
func (s *S3) PutTyped(ctx context.Context, key, contentType string, r io.Reader, size int64) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if ok, err := s.Exists(ctx, key); err != nil || ok {
		return err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h := sha256.New()
	// A TeeReader is not seekable, so minio-go streams it (no buffering)
	// and hashes exactly the bytes it sends.
	_, err := s.client.PutObject(ctx, s.bucket, s.object(key), io.TeeReader(r, h), size, minio.PutObjectOptions{
		ContentType:      contentType,
		DisableMultipart: true, // one PUT: uploads are far below the 5 GiB single-request limit
	})
	if err != nil {
		return s.fail(ctx, "put", key, err)
	}
	if err := checkSum(key, h); err != nil {
		derr := s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, s.object(key), minio.RemoveObjectOptions{})
		s.log.Error("files: S3 object did not match its content address and was deleted", "key", key, "err", err, "delete_err", derr)
		if derr != nil {
			return s.fail(ctx, "delete", key, derr)
		}
		return err
	}
	return nil
}

// Open streams the object. A missing object is NotFound.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	rc, _, _, err := s.core.GetObject(ctx, s.bucket, s.object(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, s.fail(ctx, "get", key, err)
	}
	return rc, nil
}

// Delete removes the object; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, s.object(key), minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		return s.fail(ctx, "delete", key, err)
	}
	return nil
}

// Exists reports whether the object is stored.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	_, err := s.client.StatObject(ctx, s.bucket, s.object(key), minio.StatObjectOptions{})
	if err == nil {
		return true, nil
	}
	if isMissingObject(err) {
		return false, nil
	}
	return false, s.fail(ctx, "stat", key, err)
}

func isMissingObject(err error) bool {
	e := minio.ToErrorResponse(err)
	return e.Code == minio.NoSuchKey || (e.StatusCode == http.StatusNotFound && e.Code != minio.NoSuchBucket)
}

// fail maps a client error: a missing object is NotFound; anything else
// (server down, bucket gone, access refused) is logged and Unavailable. A
// request the caller canceled is returned as it is.
func (s *S3) fail(ctx context.Context, op, key string, err error) error {
	if isMissingObject(err) {
		return missingContent(err)
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return err
	}
	s.log.Error("files: S3 storage failed", "op", op, "endpoint", s.endpoint, "bucket", s.bucket, "key", key, "err", err)
	return apperr.Wrap(err, apperr.Unavailable, "附件存储服务不可用")
}
