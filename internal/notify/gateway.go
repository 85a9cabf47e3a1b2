package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/outbox"
)

// postJSON sends body to url and returns the answer's status and up to
// 64 KiB of its body. A 4xx but 408 and 429 is the gateway refusing this
// request for good; the caller reads a 2xx answer's own code.
func postJSON(ctx context.Context, client *http.Client, url string, header http.Header, body any) (int, []byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, nil, outbox.Permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return 0, nil, outbox.Permanent(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode/100 == 2:
		return resp.StatusCode, answer, nil
	case resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests:
		return resp.StatusCode, answer, outbox.Permanent(fmt.Errorf("%s answered %s", url, resp.Status))
	}
	return resp.StatusCode, answer, fmt.Errorf("%s answered %s", url, resp.Status)
}

// intlPhone writes a stored phone (0xxxxxxxxx) with the country code,
// 84xxxxxxxxx, as gateways want it.
func intlPhone(p string) string {
	if strings.HasPrefix(p, "0") {
		return "84" + p[1:]
	}
	return p
}

func decodePayload(m outbox.Message) (Payload, error) {
	var p Payload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return p, outbox.Permanent(fmt.Errorf("bad payload: %w", err))
	}
	return p, nil
}
