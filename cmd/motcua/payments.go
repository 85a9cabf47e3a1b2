package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/payment"
	"github.com/motcua/motcua/internal/store"
)

// paymentFlags are serve's settings of the payment gateway. The secret
// comes from the environment only, never the command line (which other
// users of the machine may read).
type paymentFlags struct {
	url, tmn string
}

func addPaymentFlags(fs *flag.FlagSet) *paymentFlags {
	var p paymentFlags
	fs.StringVar(&p.url, "vnpay-url", os.Getenv("MOTCUA_VNPAY_URL"), "VNPAY's payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html (with --vnpay-tmn and $MOTCUA_VNPAY_SECRET: online payment on)")
	fs.StringVar(&p.tmn, "vnpay-tmn", os.Getenv("MOTCUA_VNPAY_TMN"), "the merchant's terminal code at VNPAY (vnp_TmnCode)")
	return &p
}

// paymentService is online payment as configured, or nil when it is off.
// Half a configuration is an error rather than a silent "off".
func (m *Main) paymentService(p *paymentFlags, log *slog.Logger) (*payment.Service, error) {
	secret := os.Getenv("MOTCUA_VNPAY_SECRET")
	if p.url == "" && p.tmn == "" && secret == "" {
		return nil, nil
	}
	if p.url == "" || p.tmn == "" || secret == "" {
		return nil, fmt.Errorf("online payment needs all of --vnpay-url, --vnpay-tmn and $MOTCUA_VNPAY_SECRET")
	}
	return &payment.Service{Gateway: &payment.VNPay{URL: p.url, TmnCode: p.tmn, Secret: secret},
		Store: store.Payments{DB: m.DB}, Dossiers: m.Svc, Log: log, Now: time.Now, Refused: payment.NewRefusedCounter()}, nil
}

// paymentsReconcile prints a day's reconciliation: paid, pending past
// expiry, mismatched and failed payments with their totals, and the
// notifications refused.
func (m *Main) paymentsReconcile(ctx context.Context, args []string) error {
	var date string
	var asJSON bool
	_, err := m.withDB(ctx, "payments reconcile", args, func(fs *flag.FlagSet) {
		fs.StringVar(&date, "date", time.Now().In(calendar.Zone).Format(time.DateOnly), "the day, YYYY-MM-DD (Việt Nam time)")
		fs.BoolVar(&asJSON, "json", false, "print JSON")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	day, err := time.ParseInLocation(time.DateOnly, date, calendar.Zone)
	if err != nil {
		return fmt.Errorf("payments reconcile: --date must be YYYY-MM-DD")
	}
	svc := &payment.Service{Store: store.Payments{DB: m.DB}, Now: time.Now}
	r, err := svc.Reconcile(ctx, day)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "Đối soát ngày / reconciliation of %s\n", r.Day)
	section := func(title string, ps []payment.Payment, sum int64) {
		fmt.Fprintf(w, "\n%s: %d, %d đ\n", title, len(ps), sum)
		for _, p := range ps {
			fmt.Fprintf(w, "  %s\t%s\t%d\t%s\t%s\t%s\n", p.TxnRef, p.DossierCode, p.Amount, p.GatewayTxnNo, p.CreatedAt.In(calendar.Zone).Format(time.DateTime), p.Note)
		}
	}
	section("Đã thanh toán / paid", r.Paid, r.PaidSum)
	section("Chờ, đã hết hạn / pending past expiry", r.Pending, r.PendSum)
	section("Sai lệch / mismatch", r.Mismatch, r.MisSum)
	section("Không thành công / failed", r.Failed, 0)
	fmt.Fprintf(w, "\nThông báo bị từ chối / refused notifications: %d\n", len(r.Refused))
	for _, x := range r.Refused {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", x.At.In(calendar.Zone).Format(time.DateTime), x.Reason, x.TxnRef, x.Remote)
	}
	return w.Flush()
}
