package store_test

import (
	"context"
	"encoding/json"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/unit"
)

// groupExtras gives the copy's dataset two residential groups of the ward,
// a confirmed subscriber and an announcement sent to one group, so that
// every table of groups has rows.
func (g *dataset) groupExtras(ctx context.Context) error {
	for _, n := range []string{"01", "02"} {
		u, err := unit.NewGroup(demo.Ward, n, "to", n)
		if err != nil {
			return err
		}
		if err := g.f.DB.SaveGroup(ctx, u); err != nil {
			return err
		}
	}
	svc := g.f.Announce()
	sub, err := svc.Subscribe(ctx, demo.Ward+"-01", announce.SubscribeRequest{Channel: announce.ChannelSMS, Address: "0912000009"})
	if err != nil {
		return err
	}
	msgs, err := store.Outbox{DB: g.f.DB}.List(ctx, store.OutboxFilter{Limit: 1})
	if err != nil {
		return err
	}
	var p notify.Payload
	if err := json.Unmarshal(msgs[0].Payload, &p); err != nil {
		return err
	}
	if _, err := svc.ConfirmCode(ctx, sub.GroupCode, sub.Channel, sub.Address, p.Fields.Status); err != nil {
		return err
	}
	return svc.Create(ctx, g.f.Actors["lanhdao"], &announce.Announcement{Title: "Lịch thu gom rác", Body: "Từ thứ Hai, xe thu gom lúc 18:00.",
		Groups: []string{demo.Ward + "-01"}})
}
