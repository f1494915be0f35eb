package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func TestDocumentReadBack(t *testing.T) {
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	d.Title("关于《清河区老旧小区改造实施方案》的法律审查意见书")
	d.DocNumber(DocNumberText("清河司审", 2026, 12))
	d.Addressee("区住房城乡建设委")
	d.Heading(1, "审查依据")
	d.Heading(2, "法律法规")
	d.Para("经审查，该方案符合法律规定。")
	d.Signature("清河区司法局", time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC))
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	text, err := Text(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"法律审查意见书", "清河司审〔2026〕12号", "区住房城乡建设委：", "一、审查依据", "经审查，该方案符合法律规定。", "2026年9月22日"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	xmlDoc := documentXML(t, b)
	for _, want := range []string{FontTitle, FontBody, FontH1, FontH2, `w:top="2098"`, `w:left="1587"`, `w:bottom="1984"`, `w:right="1474"`, `w:w="11906"`} {
		if !strings.Contains(xmlDoc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
}

func documentXML(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatal("no document.xml")
	return ""
}

func TestDocNumberAndDate(t *testing.T) {
	if got := DocNumberText("清河司审", 2026, 3); got != "清河司审〔2026〕3号" {
		t.Errorf("DocNumberText = %q", got)
	}
	if got := ChineseDate(time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC)); got != "2026年10月9日" {
		t.Errorf("ChineseDate = %q", got)
	}
	if _, err := Text([]byte("not a zip")); err == nil {
		t.Error("Text accepted a non-zip")
	}
}
