package app

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/normdoc"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/pdf"
)

// Config is everything fazhi reads from flags and FAZHI_* variables. Flags
// win over the environment; the environment wins over defaults.
type Config struct {
	DB          string        // --db / FAZHI_DB: SQLite path or postgres:// URL
	Addr        string        // --addr / FAZHI_ADDR
	DataDir     string        // --data-dir / FAZHI_DATA_DIR: evidence files and generated documents
	LogFormat   string        // --log-format / FAZHI_LOG_FORMAT: text or json
	LogLevel    string        // --log-level / FAZHI_LOG_LEVEL
	TrustProxy  bool          // --trust-proxy / FAZHI_TRUST_PROXY: take client address and TLS from X-Forwarded-For/-Proto
	MaxBodyKB   int64         // --max-body-kb / FAZHI_MAX_BODY_KB: JSON request body limit
	MaxUploadMB int64         // --max-upload-mb / FAZHI_MAX_UPLOAD_MB: file upload limit (imports have their own, smaller one)
	JobInterval time.Duration // --job-interval / FAZHI_JOB_INTERVAL: background job poll interval
	DemoIfEmpty bool          // --demo-if-empty (serve): load demo data into an empty database
	// OIDC is optional single sign-on (--oidc-* / FAZHI_OIDC_*); off unless
	// the issuer is set.
	OIDC auth.OIDCConfig
	// S3 keeps evidence files in an S3-compatible bucket (--s3-* /
	// FAZHI_S3_*) instead of DataDir/files; off unless the endpoint or
	// bucket is set.
	S3 files.S3Config
	// PDF says how generated documents become PDF (--pdf-soffice,
	// --pdf-font / FAZHI_PDF_*): LibreOffice when installed, otherwise the
	// pure-Go renderer with a TrueType CJK font from disk.
	PDF pdf.Config
	// Audit is the audit log's key and checkpoint files (--audit-* /
	// FAZHI_AUDIT_*); the key itself may come from FAZHI_AUDIT_KEY.
	Audit audit.Settings
	// Normdoc holds the province-configurable periods of 规范性文件
	// (--normdoc-* / FAZHI_NORMDOC_*); empty means the national default.
	Normdoc NormdocConfig
	// Enforcement holds the local amounts of 包容审慎监管 (--enforcement-* /
	// FAZHI_ENFORCEMENT_*); 0 means the module's default.
	Enforcement EnforcementConfig
}

// EnforcementConfig: 涉企处罚报备 amount and the yearly limit of
// inspections of one enterprise by all bodies together.
type EnforcementConfig struct {
	ReportYuan         int64 // --enforcement-report-yuan: 涉企罚款超过此金额须报备, default 10000
	InspectionsPerYear int   // --enforcement-inspections-per-year: 同一企业年度被检查次数上限（全部主体合计）, default 6; -1 不检查
}

// NormdocConfig is the normative-document periods as given (flag or
// variable text); Options parses and checks them.
type NormdocConfig struct {
	ValidYears         string // --normdoc-valid-years: 有效期（年）, default 5
	TrialValidYears    string // --normdoc-trial-valid-years: 暂行/试行有效期（年）, default 2
	EffectiveDays      string // --normdoc-effective-days: 施行日期不早于公布后（日）, default 30
	ExpiryReminderDays string // --normdoc-expiry-reminder-days: 有效期届满前提醒（日，逗号分隔）, default "90,30"
}

// Options parses the periods into normdoc.Options (zero fields take the
// module's defaults). The filing deadline is the calendar rule
// normdoc.filing, overridden like every rule.
func (n NormdocConfig) Options() (normdoc.Options, error) {
	var o normdoc.Options
	num := func(flag, env, v string, dst *int, max int) error {
		if v == "" {
			return nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 1 || i > max {
			return fmt.Errorf("--%s（%s）应为 1 到 %d 之间的整数，收到 %q", flag, env, max, v)
		}
		*dst = i
		return nil
	}
	if err := num("normdoc-valid-years", "FAZHI_NORMDOC_VALID_YEARS", n.ValidYears, &o.ValidYears, 10); err != nil {
		return o, err
	}
	if err := num("normdoc-trial-valid-years", "FAZHI_NORMDOC_TRIAL_VALID_YEARS", n.TrialValidYears, &o.ProvisionalValidYears, 10); err != nil {
		return o, err
	}
	if err := num("normdoc-effective-days", "FAZHI_NORMDOC_EFFECTIVE_DAYS", n.EffectiveDays, &o.EffectiveDelayDays, 365); err != nil {
		return o, err
	}
	if v := n.ExpiryReminderDays; v != "" {
		for _, p := range strings.Split(v, ",") {
			d, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || d < 1 || d > 730 {
				return o, fmt.Errorf("--normdoc-expiry-reminder-days（FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS）应为逗号分隔的天数（如 90,30），收到 %q", v)
			}
			o.ExpiryReminderDays = append(o.ExpiryReminderDays, d)
		}
	}
	return o, nil
}

// envOr returns the FAZHI_ variable or def.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// DBFlag registers --db on fs (every data command takes it), with the audit
// key that every command writing to the database signs its audit events with.
func DBFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DB, "db", envOr("FAZHI_DB", db.DefaultPath), "数据库：SQLite 文件路径，或 postgres://用户:密码@主机:端口/库名 (FAZHI_DB)")
	AuditFlags(fs, c)
}

// AuditFlags registers the audit key and checkpoint settings. The key itself
// is read only from the FAZHI_AUDIT_KEY variable (never a flag, so that it
// does not show in a process listing).
func AuditFlags(fs *flag.FlagSet, c *Config) {
	c.Audit.Key = os.Getenv("FAZHI_AUDIT_KEY")
	fs.StringVar(&c.Audit.KeyFile, "audit-key-file", envOr("FAZHI_AUDIT_KEY_FILE", ""), "审计日志签名密钥文件，默认为数据目录下的 audit.key，首次启动时生成，请备份；设置 FAZHI_AUDIT_KEY 时不用此文件 (FAZHI_AUDIT_KEY_FILE)")
	fs.StringVar(&c.Audit.CheckpointFile, "audit-checkpoint-file", envOr("FAZHI_AUDIT_CHECKPOINT_FILE", ""), "审计日志检查点文件（只追加），默认为数据目录下的 audit-checkpoints.log (FAZHI_AUDIT_CHECKPOINT_FILE)")
	fs.StringVar(&c.Audit.Hash, "audit-hash", envOr("FAZHI_AUDIT_HASH", audit.SM3), "审计日志签名的哈希算法 sm3（HMAC-SM3）或 sha256（HMAC-SHA-256）(FAZHI_AUDIT_HASH)")
}

// RuleFlags registers the province-configurable periods (serve, and demo,
// whose documents get their validity from them).
func RuleFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Normdoc.ValidYears, "normdoc-valid-years", envOr("FAZHI_NORMDOC_VALID_YEARS", ""), "规范性文件有效期（年，1–10），默认 5 (FAZHI_NORMDOC_VALID_YEARS)")
	fs.StringVar(&c.Normdoc.TrialValidYears, "normdoc-trial-valid-years", envOr("FAZHI_NORMDOC_TRIAL_VALID_YEARS", ""), "暂行、试行规范性文件有效期（年，1–10），默认 2 (FAZHI_NORMDOC_TRIAL_VALID_YEARS)")
	fs.StringVar(&c.Normdoc.EffectiveDays, "normdoc-effective-days", envOr("FAZHI_NORMDOC_EFFECTIVE_DAYS", ""), "规范性文件施行日期不早于公布后天数（1–365），默认 30 (FAZHI_NORMDOC_EFFECTIVE_DAYS)")
	ry, _ := strconv.ParseInt(envOr("FAZHI_ENFORCEMENT_REPORT_YUAN", "0"), 10, 64)
	fs.Int64Var(&c.Enforcement.ReportYuan, "enforcement-report-yuan", ry, "涉企处罚报备金额（元）：对法人或其他组织罚款超过此金额须先报司法局确认，默认 10000 (FAZHI_ENFORCEMENT_REPORT_YUAN)")
	ipy, _ := strconv.Atoi(envOr("FAZHI_ENFORCEMENT_INSPECTIONS_PER_YEAR", "0"))
	fs.IntVar(&c.Enforcement.InspectionsPerYear, "enforcement-inspections-per-year", ipy, "同一企业一年内被各执法主体检查的合计次数上限，超过即预警，默认 6，-1 不检查 (FAZHI_ENFORCEMENT_INSPECTIONS_PER_YEAR)")
	fs.StringVar(&c.Normdoc.ExpiryReminderDays, "normdoc-expiry-reminder-days", envOr("FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS", ""), "规范性文件有效期届满前提醒天数，逗号分隔，默认 90,30 (FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS)")
}

// DataDirFlag registers --data-dir (FAZHI_DATA_DIR) on fs; usage says what
// the command keeps there.
func DataDirFlag(fs *flag.FlagSet, c *Config, usage string) {
	fs.StringVar(&c.DataDir, "data-dir", envOr("FAZHI_DATA_DIR", ""), usage+" (FAZHI_DATA_DIR)")
}

// ServeFlags registers the serve command's flags.
func ServeFlags(fs *flag.FlagSet, c *Config) {
	DBFlag(fs, c)
	RuleFlags(fs, c)
	fs.StringVar(&c.Addr, "addr", envOr("FAZHI_ADDR", "127.0.0.1:8080"), "监听地址 HOST:PORT (FAZHI_ADDR)")
	DataDirFlag(fs, c, "附件与生成文件目录，默认与 SQLite 文件同目录或 ./data")
	fs.StringVar(&c.LogFormat, "log-format", envOr("FAZHI_LOG_FORMAT", "text"), "日志格式 text 或 json (FAZHI_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", envOr("FAZHI_LOG_LEVEL", "info"), "日志级别 debug/info/warn/error (FAZHI_LOG_LEVEL)")
	tp, _ := strconv.ParseBool(envOr("FAZHI_TRUST_PROXY", "false"))
	fs.BoolVar(&c.TrustProxy, "trust-proxy", tp, "信任反向代理的 X-Forwarded-For（客户端地址）与 X-Forwarded-Proto（是否 HTTPS）(FAZHI_TRUST_PROXY)")
	mb, _ := strconv.ParseInt(envOr("FAZHI_MAX_BODY_KB", "1024"), 10, 64)
	fs.Int64Var(&c.MaxBodyKB, "max-body-kb", mb, "JSON 请求体上限（KB）(FAZHI_MAX_BODY_KB)")
	up, _ := strconv.ParseInt(envOr("FAZHI_MAX_UPLOAD_MB", strconv.Itoa(files.DefaultMaxSize>>20)), 10, 64)
	fs.Int64Var(&c.MaxUploadMB, "max-upload-mb", up, "上传附件大小上限（MB，1–4096）；Excel 导入另有 10 MB 上限 (FAZHI_MAX_UPLOAD_MB)")
	ji, err := time.ParseDuration(envOr("FAZHI_JOB_INTERVAL", "30s"))
	if err != nil {
		ji = 30 * time.Second
	}
	fs.DurationVar(&c.JobInterval, "job-interval", ji, "后台任务轮询间隔 (FAZHI_JOB_INTERVAL)")
	ci, err := time.ParseDuration(envOr("FAZHI_AUDIT_CHECKPOINT_INTERVAL", "5m"))
	if err != nil {
		ci = 5 * time.Minute
	}
	fs.DurationVar(&c.Audit.CheckpointEvery, "audit-checkpoint-interval", ci, "审计日志链头检查点的写入间隔（链头有变化时；启动和停止时也写）(FAZHI_AUDIT_CHECKPOINT_INTERVAL)")
	fs.BoolVar(&c.DemoIfEmpty, "demo-if-empty", false, "数据库为空时载入演示数据")
	fs.StringVar(&c.OIDC.Issuer, "oidc-issuer", envOr("FAZHI_OIDC_ISSUER", ""), "统一身份认证（OIDC）平台地址；不设置则不启用统一身份认证登录 (FAZHI_OIDC_ISSUER)")
	fs.StringVar(&c.OIDC.ClientID, "oidc-client-id", envOr("FAZHI_OIDC_CLIENT_ID", ""), "在统一身份认证平台登记的客户端标识 (FAZHI_OIDC_CLIENT_ID)")
	fs.StringVar(&c.OIDC.ClientSecret, "oidc-client-secret", envOr("FAZHI_OIDC_CLIENT_SECRET", ""), "客户端密钥，建议用环境变量传入 (FAZHI_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.OIDC.RedirectURL, "oidc-redirect-url", envOr("FAZHI_OIDC_REDIRECT_URL", ""), "本系统回调地址，如 https://fazhi.example.gov.cn/api/auth/oidc/callback (FAZHI_OIDC_REDIRECT_URL)")
	fs.StringVar(&c.OIDC.UsernameClaim, "oidc-username-claim", envOr("FAZHI_OIDC_USERNAME_CLAIM", "preferred_username"), "身份令牌中与本系统用户名对应的字段 (FAZHI_OIDC_USERNAME_CLAIM)")
	fs.StringVar(&c.S3.Endpoint, "s3-endpoint", envOr("FAZHI_S3_ENDPOINT", ""), "对象存储（MinIO 等 S3 兼容服务）地址 主机:端口；设置后附件存入对象存储而非 --data-dir (FAZHI_S3_ENDPOINT)")
	fs.StringVar(&c.S3.Bucket, "s3-bucket", envOr("FAZHI_S3_BUCKET", ""), "存放附件的存储桶，须事先创建 (FAZHI_S3_BUCKET)")
	fs.StringVar(&c.S3.AccessKey, "s3-access-key", envOr("FAZHI_S3_ACCESS_KEY", ""), "对象存储访问密钥 ID (FAZHI_S3_ACCESS_KEY)")
	fs.StringVar(&c.S3.SecretKey, "s3-secret-key", envOr("FAZHI_S3_SECRET_KEY", ""), "对象存储私有访问密钥，建议用环境变量传入 (FAZHI_S3_SECRET_KEY)")
	fs.StringVar(&c.S3.Region, "s3-region", envOr("FAZHI_S3_REGION", files.DefaultS3Region), "对象存储区域，须与服务端配置一致 (FAZHI_S3_REGION)")
	secure, err := strconv.ParseBool(envOr("FAZHI_S3_SECURE", "true"))
	if err != nil {
		secure = true
	}
	fs.BoolVar(&c.S3.Secure, "s3-secure", secure, "以 TLS（https）连接对象存储 (FAZHI_S3_SECURE)")
	fs.StringVar(&c.PDF.Soffice, "pdf-soffice", envOr("FAZHI_PDF_SOFFICE", ""), "生成 PDF 用的 LibreOffice 程序（soffice）路径；默认在 PATH 中查找，填 - 则不用 LibreOffice (FAZHI_PDF_SOFFICE)")
	fs.StringVar(&c.PDF.FontPath, "pdf-font", envOr("FAZHI_PDF_FONT", ""), "未安装 LibreOffice 时生成 PDF 用的中文 TrueType 字体文件，默认 DroidSansFallbackFull.ttf (FAZHI_PDF_FONT)")
	fs.StringVar(&c.S3.Prefix, "s3-prefix", envOr("FAZHI_S3_PREFIX", ""), "附件在存储桶内的目录前缀，如 fazhi；默认直接放在桶根 (FAZHI_S3_PREFIX)")
}

// Normalize fills derived defaults and checks values.
func (c *Config) Normalize() error {
	if c.DataDir == "" {
		if db.IsPostgres(c.DB) {
			c.DataDir = "./data"
		} else {
			c.DataDir = filepath.Dir(c.DB)
		}
	}
	// Commands that only take --db (demo, user, migrate) leave these empty.
	if c.LogFormat == "" {
		c.LogFormat = "text"
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format 只能是 text 或 json，收到 %q", c.LogFormat)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("--log-level 只能是 debug、info、warn 或 error，收到 %q", c.LogLevel)
	}
	if c.MaxBodyKB <= 0 {
		c.MaxBodyKB = 1024
	}
	if c.MaxUploadMB == 0 {
		c.MaxUploadMB = files.DefaultMaxSize >> 20
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 4096 {
		return fmt.Errorf("--max-upload-mb（FAZHI_MAX_UPLOAD_MB）应为 1 到 4096 之间的整数，收到 %d", c.MaxUploadMB)
	}
	if c.JobInterval <= 0 {
		c.JobInterval = 30 * time.Second
	}
	if err := c.Audit.Normalize(c.DataDir); err != nil {
		return err
	}
	if err := c.S3.Validate(); err != nil {
		return err
	}
	if _, err := c.Normdoc.Options(); err != nil {
		return err
	}
	return c.OIDC.Validate()
}
