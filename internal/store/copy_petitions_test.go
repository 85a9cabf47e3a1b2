package store_test

import (
	"bytes"
	"context"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
)

// petitionExtras gives the copy's dataset a petition with a photo, answered,
// published, voted on and rated, and the ward's petition setting.
func (g *dataset) petitionExtras(ctx context.Context) error {
	jpeg := append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte("x"), 64)...)
	info, err := g.files.Put(ctx, bytes.NewReader(jpeg), 1<<20)
	if err != nil {
		return err
	}
	svc := g.f.Petitions()
	p, err := svc.Submit(ctx, auth.Actor{}, petition.SubmitRequest{Unit: demo.Ward, Field: "environment", Subject: "Rác ở ngõ 5",
		Text: "Rác để ba ngày chưa thu.", Phone: "0912345678", DossierCode: ""}, []petition.File{{Name: "anh.jpg", ContentType: "image/jpeg",
		Size: info.Size, SHA256: info.SHA256}})
	if err != nil {
		return err
	}
	for _, step := range []struct {
		who string
		req petition.ActionRequest
	}{
		{"lanhdao", petition.ActionRequest{Action: petition.ActAnswer, Text: "Đã thu gom rác."}},
		{"lanhdao", petition.ActionRequest{Action: petition.ActPublish, Text: "Đèn đường hỏng ở ngõ 12"}},
	} {
		if _, err := svc.Act(ctx, g.f.Actors[step.who], p.Code, step.req); err != nil {
			return err
		}
	}
	if _, err := svc.Vote(ctx, p.Code, "reader", true); err != nil {
		return err
	}
	if _, err := svc.SenderAct(ctx, p.Code, "0912345678", petition.ActionRequest{Action: petition.ActRate, Satisfaction: petition.Satisfied}); err != nil {
		return err
	}
	return store.Petitions{DB: g.f.DB}.SetSettings(ctx, demo.Ward, petition.Settings{DirectAnswer: true}, "quantri")
}
