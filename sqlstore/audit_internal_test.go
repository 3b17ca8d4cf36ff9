package sqlstore

import "testing"

func TestSplitCheckpoint(t *testing.T) {
	const note = "go.sum database tree\n146\nhEpVYyeyo9S0Y3T45h9qRgJeQmu2mF6t8XgQ/rtsNOc=\n\n\u2014 parley-audit EAeW+odd3GWn+bMKHTtlhk+7LXc=\n"
	tests := []struct {
		name, in, note, key string
	}{
		{"key without plus", note + "parley-audit+100796a1+AUcRdyCe6StYf2RiqipGDryA2MmnNhDTbEAvWNsev87\n", note,
			"parley-audit+100796a1+AUcRdyCe6StYf2RiqipGDryA2MmnNhDTbEAvWNsev87"},
		{"key with plus in base64", note + "parley-audit+100796a1+AUcR+dyCe6StYf2Riq/ipGDryA2MmnNhDTbEA+vWNsev87\n", note,
			"parley-audit+100796a1+AUcR+dyCe6StYf2Riq/ipGDryA2MmnNhDTbEA+vWNsev87"},
		{"CRLF", "go.sum database tree\r\n1\r\nX=\r\n\r\n\u2014 k s\r\nk+0000000a+AAAA\r\n", "go.sum database tree\n1\nX=\n\n\u2014 k s\n", "k+0000000a+AAAA"},
		{"note alone", note, note, ""},
		{"hash not hex", note + "parley-audit+zz0796a1+AAAA\n", note + "parley-audit+zz0796a1+AAAA\n", ""},
		{"one line", "x", "x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, k := splitCheckpoint(tt.in)
			if n != tt.note || k != tt.key {
				t.Errorf("got (%q, %q), want (%q, %q)", n, k, tt.note, tt.key)
			}
		})
	}
}
