// Package web serves motcua over HTTP: the JSON API under /api/v1 and the
// server-rendered pages (html/template, htmx, embedded with their static
// files and the vi and en catalogues). Handlers call the domain services,
// never SQL directly, except through the store's read models.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/payment"
	"github.com/motcua/motcua/internal/population"
	"github.com/motcua/motcua/internal/store"
)

// Server holds what the handlers need.
type Server struct {
	DB       *store.DB
	Dossiers *dossier.Service
	Procs    store.Procedures
	Calendar *store.Calendars
	Log      *slog.Logger
	Now      func() time.Time

	// PublicURL is the address citizens reach the site at, printed in the
	// receipt's QR code; empty means the address of the request.
	PublicURL string

	// Files keeps the files handed in with dossiers; nil turns uploads off
	// (the forms then show no file fields).
	Files blob.Store

	// Limits bound sign-in and the public forms (throttle.go); the zero
	// value takes DefaultLimits.
	Limits Limits

	// Payments takes fees online; nil turns online payment off (no pay
	// button, the gateway's addresses answer 404).
	Payments *payment.Service

	// Identity signs citizens in through an OpenID Connect provider
	// (page_oidc.go); nil turns it off (no button, its addresses answer
	// 404).
	Identity *identity.Provider
	// PopulationRegistry answers look-ups in the national population
	// database; nil means not configured (no button on the dossier page,
	// the API answers 503 "not configured").
	PopulationRegistry population.Registry

	// Collectors are other parts' metrics (the outbox's) shown on /metrics.
	Collectors []prometheus.Collector

	// BoardEvery is how often the server reads new queue events for the
	// calling boards it streams to; zero means 500 ms.
	BoardEvery time.Duration
	// MaxBoards bounds the board streams open on this server; zero means
	// 1,000. Beyond it a new board is answered 429 and retries.
	MaxBoards int
	// MaxBoardsPerAddr bounds the board streams one client address holds
	// on this server; zero means 4. Beyond it a new board is answered 429.
	MaxBoardsPerAddr int

	ui       *ui
	mux      *http.ServeMux // the routes, asked which methods a path allows
	limits   Limits         // Limits with the defaults filled in
	metrics  *prometheus.Registry
	refusals *prometheus.CounterVec
	boards   *boardHub // the calling boards' streams (api_queue_board.go)
}

// maxBody bounds every JSON request body.
const maxBody = 1 << 20

// Handler returns the whole HTTP handler: routes, authentication, limits,
// and protection against cross-site requests.
func (s *Server) Handler() http.Handler {
	u, err := loadUI()
	if err != nil {
		panic("web: embedded templates: " + err.Error()) // a build defect, caught by the tests
	}
	s.ui = u
	s.limits = s.Limits.orDefault()
	s.boards = newBoardHub(s)
	s.newMetrics()
	mux := http.NewServeMux()
	s.routes(mux)
	s.mux = mux
	var h http.Handler = mux
	h = s.hygiene(h)
	h = s.authenticate(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	h = cop.Handler(h)
	return nosniff(s.recover(h))
}

// nosniff marks every response, API, pages, files and errors alike, so that
// a browser never guesses a type other than the one declared.
func nosniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// hygiene refuses, before any handler reads them, a query string (search
// q, filters) or a posted URL-encoded page form that holds control
// characters or bytes that are not UTF-8, naming the field (checkValues):
// 422, nothing stored. JSON bodies are checked by decode, multipart forms
// by readUploadForm.
func (s *Server) hygiene(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api := strings.HasPrefix(r.URL.Path, "/api/")
		err := checkValues(r.URL.Query())
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && !api && r.Method == http.MethodPost &&
			mt == "application/x-www-form-urlencoded" {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			if perr := r.ParseForm(); perr != nil {
				var tooBig *http.MaxBytesError
				if errors.As(perr, &tooBig) {
					err = errTooLarge
				} else {
					err = apperr.Invalid("", "Không đọc được dữ liệu gửi lên", "the form could not be read")
				}
			} else {
				err = checkValues(r.PostForm)
			}
		}
		if err != nil {
			s.failAny(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	actorKey ctxKey = iota
	sessionKey
)

// actor returns the caller; the zero Actor for anonymous callers.
func actor(r *http.Request) auth.Actor {
	a, _ := r.Context().Value(actorKey).(auth.Actor)
	return a
}

// authenticate resolves a bearer token or a session cookie into the caller.
// A request with a bad token is refused rather than treated as anonymous, so
// a client learns at once that its token is wrong.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, kind := bearer(r)
		if secret == "" {
			if c, err := r.Cookie(sessionCookie); err == nil {
				secret, kind = c.Value, store.TokenSession
			}
		}
		if secret == "" || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		u, sid, err := s.DB.UserBySecret(r.Context(), secret, kind)
		if err != nil && kind == store.TokenSession && !strings.HasPrefix(r.URL.Path, "/api/") && apperr.Code(err) == apperr.EUNAUTHORIZED {
			// An expired session on a page: forget it and go on as a
			// visitor, rather than answering every page with an error.
			http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), actorKey, u.Actor())
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, sessionKey, sid)))
	})
}

// bearer returns the secret of the request's Authorization header and its
// kind: API tokens start with "mc_", the rest are sessions from login.
func bearer(r *http.Request) (secret, kind string) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", ""
	}
	secret = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	if strings.HasPrefix(secret, "mc_") {
		return secret, store.TokenAPI
	}
	return secret, store.TokenSession
}

// sessionID is the public id of the caller's session or token.
func sessionID(r *http.Request) string {
	id, _ := r.Context().Value(sessionKey).(string)
	return id
}

const sessionCookie = "motcua_session"

// crossOrigin refuses a cross-site browser request with the same error as
// any other: JSON for the API, a page in the reader's language otherwise.
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	err := apperr.Forbidden("Yêu cầu từ trang web khác bị từ chối; hãy mở lại trang này và gửi lại",
		"a request from another site was refused; open this page again and resend it")
	s.failAny(w, r, err)
}

// failAny answers err as the path calls for: JSON under /api/, a page
// elsewhere. For the middlewares, which run before a handler says which.
func (s *Server) failAny(w http.ResponseWriter, r *http.Request, err error) {
	if strings.HasPrefix(r.URL.Path, open311Prefix) {
		s.open311Fail(w, r, err)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.fail(w, r, err)
		return
	}
	s.pageFail(w, r, err)
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "panic", v)
				s.failAny(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusOf maps application error codes to HTTP statuses: the one table.
var statusOf = map[string]int{
	apperr.EINVALID:      http.StatusUnprocessableEntity,
	apperr.ENOTFOUND:     http.StatusNotFound,
	apperr.ECONFLICT:     http.StatusConflict,
	apperr.EFORBIDDEN:    http.StatusForbidden,
	apperr.EUNAUTHORIZED: http.StatusUnauthorized,
	apperr.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	apperr.ETOOMANY:      http.StatusTooManyRequests,
	apperr.EINTERNAL:     http.StatusInternalServerError,
	apperr.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

type errorBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		MessageEn string `json:"message_en"`
		Field     string `json:"field,omitempty"`
	} `json:"error"`
}

// fail writes err as the API's JSON error.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if e == nil {
		s.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		e = apperr.New(apperr.EINTERNAL, "Lỗi hệ thống, vui lòng thử lại sau", "internal error, please try again later")
	}
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.MessageEn, b.Error.Field = e.Code, e.Message, e.MessageEn, e.Field
	writeJSON(w, statusOf[e.Code], b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// requireUser answers 401 for anonymous callers.
func requireUser(r *http.Request) (auth.Actor, error) {
	a := actor(r)
	if a.Username == "" {
		return a, apperr.New(apperr.EUNAUTHORIZED, "Vui lòng đăng nhập", "please sign in")
	}
	return a, nil
}

// secureCookies tells whether cookies must be marked Secure: when the
// request came over TLS, or when the public address is https (TLS ended at
// a load balancer in front of the server).
func (s *Server) secureCookies(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.PublicURL, "https://")
}
