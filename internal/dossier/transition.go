package dossier

import (
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

func one(metric string) map[string]int64 { return map[string]int64{metric: 1} }

// startClock sets the due time when the dossier is received: the clock runs
// from reception, not from an online submission nobody has looked at yet.
func startClock(d *Dossier, env Env) {
	d.ReceivedAt = env.Now
	lim := env.Proc.Limit
	if lim.Kind == procedure.LimitSameDay {
		d.DueAt = env.Cal.DueSameDay(env.Now, lim.CutoffHour)
	} else {
		d.DueAt = env.Cal.Due(env.Now, lim.Days)
	}
	enterStep(d, 0, env)
}

// limitWork is the procedure's whole time limit as working time; steps get
// their share of it.
func limitWork(env Env) time.Duration {
	if env.Proc.Limit.Kind == procedure.LimitSameDay {
		return env.Cal.DayLength()
	}
	return time.Duration(env.Proc.Limit.Days * float64(env.Cal.DayLength()))
}

func enterStep(d *Dossier, i int, env Env) {
	d.Step = i
	d.StepStartedAt = env.Now
	share := time.Duration(env.Proc.Steps[i].Share) * limitWork(env) / 100
	d.StepDueAt = env.Cal.Add(env.Now, share)
	d.StepDepartment = env.Proc.Steps[i].Department
	d.StepAssignee = ""
}

// leaveStep classifies the step being left, for the control sheet (form 06).
func leaveStep(d *Dossier, env Env, ev *Event) {
	if !d.StepDueAt.IsZero() {
		ev.Outcome = env.Cal.Classify(env.Now, d.StepDueAt)
	}
}

func doReceive(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	if m := MissingRequired(env.Proc, d.Components); len(m) > 0 {
		return nil, errMissing(m, "Không thể tiếp nhận: hồ sơ còn thiếu thành phần bắt buộc; hãy yêu cầu bổ sung hoặc từ chối tiếp nhận",
			"cannot receive: required components are missing; request a supplement or refuse the dossier")
	}
	d.Status = StatusReceived
	startClock(d, env)
	return receivedCounts(d), nil
}

func doRequestSupplement(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	var missing []string
	for _, m := range req.Missing {
		if m = vntext.Clean(m); m != "" {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return nil, apperr.Invalid("missing", "Cần ghi rõ các giấy tờ phải bổ sung", "list what the applicant must supplement")
	}
	pause(d, env)
	d.Status = StatusSupplement
	d.Missing = missing
	d.SupplementCount++
	ev.Note = joinNote(supplementNote(missing), ev.Note)
	return one(stats.SupplementRequests), nil
}

// pause stops the clock while the dossier waits for the applicant.
func pause(d *Dossier, env Env) {
	d.ResumeStatus = d.Status
	d.PausedAt = env.Now
}

// resume restarts the clock: the due times move by the working time spent
// waiting.
func resume(d *Dossier, env Env) {
	if !d.DueAt.IsZero() {
		d.DueAt = env.Cal.Resume(d.DueAt, d.PausedAt, env.Now)
	}
	if !d.StepDueAt.IsZero() {
		d.StepDueAt = env.Cal.Resume(d.StepDueAt, d.PausedAt, env.Now)
	}
	d.Status = d.ResumeStatus
	d.ResumeStatus = 0
	d.PausedAt = time.Time{}
}

// doSupplement records what the applicant brought; without a list, what was
// asked. A dossier whose supplement was requested at reception is received
// now, and its clock starts now.
func doSupplement(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	given := cleanList(req.Components)
	if len(given) == 0 {
		given = d.Missing
	}
	resume(d, env)
	d.Missing = nil
	for _, c := range given {
		if !slices.Contains(d.Components, c) {
			d.Components = append(d.Components, c)
		}
	}
	if d.Status == StatusReceived && d.ReceivedAt.IsZero() {
		startClock(d, env)
		return receivedCounts(d), nil
	}
	return nil, nil
}

func requireReason(req ActionRequest, vi, en string) (string, error) {
	r := vntext.Clean(req.Reason)
	if r == "" {
		return "", apperr.Invalid("reason", vi, en)
	}
	if len(r) > 2000 {
		return "", apperr.Invalid("reason", "Lý do quá dài (tối đa 2000 ký tự)", "reason is too long (2000 characters at most)")
	}
	return r, nil
}

func doRefuse(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	r, err := requireReason(req, "Từ chối tiếp nhận phải nêu rõ lý do", "a refusal needs a written reason")
	if err != nil {
		return nil, err
	}
	end(d, env, StatusRefused, r, ev)
	return one(stats.Refused), nil
}

// end closes a dossier that will not produce a result.
func end(d *Dossier, env Env, s Status, reason string, ev *Event) {
	d.Status = s
	d.Reason = reason
	d.FinishedAt = env.Now
	d.PausedAt, d.ResumeStatus = time.Time{}, 0
	ev.Note = joinNote(reason, ev.Note)
}

func doForward(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	steps := env.Proc.Steps
	if d.Step+1 >= len(steps)-1 && steps[d.Step].Role != procedure.RoleLeader && hasLeaderStep(steps) && !d.Approved {
		return nil, apperr.Conflict("Hồ sơ cần lãnh đạo phê duyệt trước khi trả kết quả", "a leader must approve the dossier first")
	}
	if d.Step+1 >= len(steps) {
		return nil, apperr.Conflict("Hồ sơ đã ở bước cuối cùng", "the dossier is at its last step")
	}
	if steps[d.Step].Role == procedure.RoleLeader {
		return nil, apperr.Conflict("Lãnh đạo phê duyệt hoặc trả lại hồ sơ, không chuyển tiếp", "a leader approves or sends back")
	}
	leaveStep(d, env, ev)
	enterStep(d, d.Step+1, env)
	d.Status = StatusProcessing
	if req.Department != "" {
		d.StepDepartment = req.Department
	}
	d.StepAssignee = req.Assignee
	ev.Assignee = req.Assignee
	return nil, nil
}

func hasLeaderStep(steps []procedure.Step) bool {
	for _, s := range steps {
		if s.Role == procedure.RoleLeader {
			return true
		}
	}
	return false
}

func doSendBack(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	if d.Step < 1 { // a specialist may send the dossier back to reception
		return nil, apperr.Conflict("Không có bước xử lý trước để trả lại", "there is no earlier processing step")
	}
	if strings.TrimSpace(req.Note) == "" && strings.TrimSpace(req.Reason) == "" {
		return nil, apperr.Invalid("note", "Trả lại hồ sơ phải ghi rõ lý do", "say why the dossier is sent back")
	}
	leaveStep(d, env, ev)
	enterStep(d, d.Step-1, env)
	d.Approved = false
	ev.Note = joinNote(vntext.Clean(req.Reason), ev.Note)
	return nil, nil
}

func doRequestPayment(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	amount := req.Amount
	if amount == 0 {
		amount = env.Proc.DefaultFee()
	}
	if amount <= 0 || amount > 1_000_000_000_000 {
		return nil, apperr.Invalid("amount", "Số tiền phải nộp phải lớn hơn 0", "the amount to pay must be positive")
	}
	pause(d, env)
	d.Status = StatusPayment
	d.FeeAmount = amount
	return nil, nil
}

func doConfirmPayment(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	resume(d, env)
	d.PaidAt = env.Now
	return one(stats.Paid), nil
}

func doApprove(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	leaveStep(d, env, ev)
	d.Approved = true
	enterStep(d, d.Step+1, env)
	return nil, nil
}

func doFinish(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	if req.Result != nil {
		r, err := req.Result.check(d, env)
		if err != nil {
			return nil, err
		}
		d.Result = r
	}
	leaveStep(d, env, ev)
	d.Status = StatusDone
	d.FinishedAt = env.Now
	d.Outcome = env.Cal.Classify(env.Now, d.DueAt)
	ev.Outcome = d.Outcome
	counts := one(finishedMetric(d.Outcome))
	if d.Outcome != "late" && d.SupplementCount > 1 {
		counts[stats.FinishedResupplied] = 1 // late for indicator 2.1 all the same
	}
	if d.Result != nil {
		ev.Note = joinNote(d.Result.Summary(), ev.Note)
		if d.Result.Electronic() {
			counts[stats.ResultElectronic] = 1
		}
	}
	return counts, nil
}

func finishedMetric(outcome string) string {
	switch outcome {
	case "early":
		return stats.FinishedEarly
	case "late":
		return stats.FinishedLate
	}
	return stats.FinishedOnTime
}

func doReturn(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	d.Status = StatusReturned
	d.ReturnedAt = env.Now
	return one(stats.Returned), nil
}

func doWithdraw(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	r, err := requireReason(req, "Vui lòng ghi lý do rút hồ sơ", "say why the dossier is withdrawn")
	if err != nil {
		return nil, err
	}
	end(d, env, StatusWithdrawn, r, ev)
	return one(stats.Withdrawn), nil
}

func doStop(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	r, err := requireReason(req, "Thông báo dừng xử lý phải nêu rõ lý do", "a stop notice needs a reason")
	if err != nil {
		return nil, err
	}
	end(d, env, StatusStopped, r, ev)
	return one(stats.Stopped), nil
}

func doExtend(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	if !d.ExtendedAt.IsZero() {
		return nil, apperr.Conflict("Hồ sơ đã được gia hạn một lần; chỉ được gia hạn một lần", "the dossier was already extended once")
	}
	r, err := requireReason(req, "Văn bản xin lỗi phải nêu lý do chậm trễ", "the apology must say why the dossier is late")
	if err != nil {
		return nil, err
	}
	if d.DueAt.IsZero() || !req.NewDueAt.After(d.DueAt) {
		return nil, apperr.Invalid("new_due_at", "Hạn mới phải sau hạn hiện tại", "the new due time must be after the current one")
	}
	if req.NewDueAt.After(d.DueAt.AddDate(1, 0, 0)) {
		return nil, apperr.Invalid("new_due_at", "Hạn mới không được quá một năm sau hạn hiện tại", "the new due time must be within a year of the current one")
	}
	if !workingInstant(env.Cal, req.NewDueAt) {
		next := env.Cal.NextOpening(req.NewDueAt).In(stats.Zone).Format("15:04 02/01/2006")
		return nil, apperr.Invalid("new_due_at",
			"Hạn mới rơi vào ngày nghỉ hoặc ngoài giờ làm việc; thời điểm làm việc gần nhất là "+next,
			"the new due time falls on a day off or outside office hours; the next working time is "+next)
	}
	d.DueAt = req.NewDueAt.UTC()
	d.ExtendedAt = env.Now
	ev.Note = joinNote(r, ev.Note)
	return one(stats.Extended), nil
}

// workingInstant tells whether a promised time is one the office can keep:
// inside office hours of a working day, or the very end of a working span
// (17:00, when a day's work ends).
func workingInstant(cal Calendar, t time.Time) bool {
	return cal.NextOpening(t).Equal(t) || cal.Between(t.Add(-time.Microsecond), t) == time.Microsecond
}

func doRate(d *Dossier, req ActionRequest, env Env, ev *Event) (map[string]int64, error) {
	if !d.RatedAt.IsZero() {
		return nil, apperr.Conflict("Hồ sơ đã được đánh giá", "the dossier was already rated")
	}
	m, ok := map[int]string{RatingVery: stats.RatedVery, RatingOK: stats.RatedOK, RatingBad: stats.RatedBad}[req.Rating]
	if !ok {
		return nil, apperr.Invalid("rating", "Mức đánh giá phải là 3 (Rất hài lòng), 2 (Hài lòng) hoặc 1 (Không hài lòng)",
			"rating must be 3 (very satisfied), 2 (satisfied) or 1 (not satisfied)")
	}
	c := vntext.Clean(req.Comment)
	if len(c) > 2000 {
		return nil, apperr.Invalid("comment", "Nhận xét quá dài (tối đa 2000 ký tự)", "comment is too long (2000 characters at most)")
	}
	d.Rating, d.RatingComment, d.RatedAt = req.Rating, c, env.Now
	ev.Note = joinNote(RatingName[req.Rating], c)
	return one(m), nil
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " — " + b
}
