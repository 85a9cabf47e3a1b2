package web

import "net/http"

// router is what the route lists register on: the server's ServeMux, or a
// test's recorder that lists the patterns.
type router interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
	Handle(pattern string, handler http.Handler)
}

// routes lists every route in one place. The API routes are also described in
// openapi.json; a test keeps the two in step. The pages follow.
func (s *Server) routes(mux router) {
	mux.HandleFunc("GET /api/v1/healthz", s.health)
	mux.HandleFunc("GET /healthz", s.health)
	mux.Handle("GET /metrics", s.metricsHandler())
	mux.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	mux.HandleFunc("POST /api/v1/login", s.login)
	mux.HandleFunc("POST /api/v1/logout", s.logout)
	mux.HandleFunc("GET /api/v1/me", s.me)
	mux.HandleFunc("GET /api/v1/sessions", s.listSessions)
	mux.HandleFunc("DELETE /api/v1/sessions/{id}", s.revokeSession)
	mux.HandleFunc("GET /api/v1/users/{username}/sessions", s.listUserSessions)
	mux.HandleFunc("DELETE /api/v1/users/{username}/sessions/{id}", s.revokeUserSession)
	mux.HandleFunc("GET /api/v1/units/{code}", s.getUnit)
	mux.HandleFunc("POST /api/v1/units/{code}/calendar", s.changeUnitCalendar)
	mux.HandleFunc("GET /api/v1/procedures", s.listProcedures)
	mux.HandleFunc("GET /api/v1/procedures/{code}", s.getProcedure)
	mux.HandleFunc("POST /api/v1/dossiers", s.submitDossier)
	mux.HandleFunc("GET /api/v1/dossiers", s.listDossiers)
	mux.HandleFunc("GET /api/v1/dossiers/{code}", s.getDossier)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/actions/{action}", s.actOnDossier)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/rating", s.rateDossier)
	mux.HandleFunc("GET /api/v1/people/{id_number}", s.getPerson)
	mux.HandleFunc("POST /api/v1/dossiers/{code}/result-file", s.uploadResultFile) // multipart: bounded in the handler
	mux.HandleFunc("GET /api/v1/dossiers/{code}/result-file", s.resultFile)
	mux.HandleFunc("GET /api/v1/my-work", s.myWork)
	mux.HandleFunc("GET /api/v1/me/dossiers", s.meDossiers)
	mux.HandleFunc("GET /api/v1/me/documents", s.meDocuments)
	mux.HandleFunc("GET /api/v1/lookup", s.lookup)
	mux.HandleFunc("GET /api/v1/stats", s.stats)
	mux.HandleFunc("GET /api/v1/index", s.apiIndex)
	mux.HandleFunc("GET /api/v1/index/ranking", s.apiIndexRanking)
	mux.HandleFunc("GET /api/v1/index/explain", s.apiIndexExplain)
	mux.HandleFunc("POST /api/v1/index/entries", s.apiIndexEntry)
	mux.HandleFunc("GET /api/v1/evaluations", s.listEvaluations)
	mux.HandleFunc("POST /api/v1/evaluations/entries", s.addEvaluationEntry)
	mux.HandleFunc("GET /api/v1/targets", s.listTargets)
	mux.HandleFunc("POST /api/v1/targets", s.addTarget)
	mux.HandleFunc("PUT /api/v1/targets/{id}", s.updateTarget)
	mux.HandleFunc("POST /api/v1/targets/{id}/actuals", s.addActual)
	mux.HandleFunc("GET /api/v1/calendar/due", s.calendarDue)
	mux.HandleFunc("GET /api/v1/calendar/{year}", s.calendarYear)
	mux.HandleFunc("GET /api/v1/outbox", s.listOutbox)
	mux.HandleFunc("POST /api/v1/outbox/{id}/retry", s.retryOutbox)
	mux.HandleFunc("GET /api/v1/webhooks", s.listWebhooks)
	mux.HandleFunc("POST /api/v1/webhooks", s.addWebhook)
	mux.HandleFunc("POST /api/v1/webhooks/{id}/active", s.setWebhookActive)
	mux.HandleFunc("GET /api/v1/payments/ipn", s.paymentIPN)   // the gateway's notification: signed, no session
	mux.HandleFunc("POST /api/v1/petitions", s.submitPetition) // JSON, or multipart with files: bounded in the handler
	mux.HandleFunc("GET /api/v1/petitions", s.listPetitions)
	mux.HandleFunc("GET /api/v1/petitions/public", s.publicPetitions)
	mux.HandleFunc("GET /api/v1/petitions/{code}", s.getPetition)
	mux.HandleFunc("GET /api/v1/petitions/{code}/files/{id}", s.petitionFile)
	mux.HandleFunc("POST /api/v1/petitions/{code}/actions/{action}", s.actOnPetition)
	// The national population database: look-ups by the units' officers,
	// the log by their leaders and administrators.
	mux.HandleFunc("POST /api/v1/population/verify", s.verifyPopulation)
	mux.HandleFunc("GET /api/v1/population/lookups", s.listPopulationLookups)
	// The civil-status registry: the unit's civil registrars and leaders.
	mux.HandleFunc("GET /api/v1/civil/books", s.listCivilBooks)
	mux.HandleFunc("POST /api/v1/civil/books", s.addCivilBook)
	mux.HandleFunc("GET /api/v1/civil/books/{id}", s.getCivilBook)
	mux.HandleFunc("GET /api/v1/civil/records", s.searchCivilRecords)
	mux.HandleFunc("POST /api/v1/civil/records", s.addCivilRecord)
	mux.HandleFunc("GET /api/v1/civil/records/{id}", s.getCivilRecord)
	mux.HandleFunc("PUT /api/v1/civil/records/{id}", s.editCivilRecord)
	mux.HandleFunc("POST /api/v1/civil/records/{id}/verify", s.verifyCivilRecord)
	mux.HandleFunc("POST /api/v1/civil/records/{id}/resolve", s.verifyCivilRecord)
	mux.HandleFunc("POST /api/v1/civil/records/{id}/corrections", s.correctCivilRecord)
	mux.HandleFunc("POST /api/v1/civil/records/{id}/scan", s.uploadCivilScan) // multipart: bounded in the handler
	mux.HandleFunc("GET /api/v1/civil/records/{id}/scan", s.civilScan)
	mux.HandleFunc("GET /api/v1/civil/duplicates", s.listCivilDuplicates)
	mux.HandleFunc("POST /api/v1/civil/duplicates/{id}/merge", s.mergeCivilDuplicate)
	mux.HandleFunc("POST /api/v1/civil/duplicates/{id}/dismiss", s.dismissCivilDuplicate)
	mux.HandleFunc("GET /api/v1/civil/progress", s.civilProgress)
	mux.HandleFunc("GET /api/v1/civil/reads", s.listCivilReads)
	mux.HandleFunc("GET /api/v1/civil/records/{id}/extract.pdf", s.civilExtractAPI) // the pages print it too (page_civil_extract.go)
	mux.HandleFunc("GET /api/v1/groups", s.listGroups)
	mux.HandleFunc("POST /api/v1/groups", s.addGroup)
	mux.HandleFunc("PUT /api/v1/groups/{code}", s.updateGroup)
	mux.HandleFunc("POST /api/v1/groups/{code}/leader", s.addGroupLeader)
	mux.HandleFunc("POST /api/v1/groups/{code}/subscriptions", s.subscribeGroup) // public, counted per address
	mux.HandleFunc("POST /api/v1/groups/{code}/subscriptions/confirm", s.confirmSubscription)
	mux.HandleFunc("POST /api/v1/subscriptions/unsubscribe", s.unsubscribe)
	mux.HandleFunc("GET /api/v1/announcements", s.listAnnouncements)
	mux.HandleFunc("POST /api/v1/announcements", s.addAnnouncement)
	mux.HandleFunc("GET /api/v1/stats/public", s.publicStatsJSON)
	s.open311Routes(mux)
	s.queueRoutes(mux)
	s.newsRoutes(mux)
	mux.HandleFunc("/api/", s.notFound)
	s.pageRoutes(mux)
}

// queueRoutes are the counter queue's API (api_queue.go): the kiosk's
// tickets, bookings and check-ins are public and throttled (queueTry), the
// board's stream is public, the rest is the unit's officers'.
func (s *Server) queueRoutes(mux router) {
	mux.HandleFunc("GET /api/v1/queue", s.getQueue)
	mux.HandleFunc("POST /api/v1/queue/groups", s.saveQueueGroup)
	mux.HandleFunc("GET /api/v1/queue/stats", s.queueStats)
	mux.HandleFunc("POST /api/v1/desks", s.addDesk)
	mux.HandleFunc("PUT /api/v1/desks/{id}", s.updateDesk)
	mux.HandleFunc("POST /api/v1/desks/{id}/open", s.openDesk)
	mux.HandleFunc("POST /api/v1/desks/{id}/close", s.closeDesk)
	mux.HandleFunc("POST /api/v1/desks/{id}/call", s.callNext)
	mux.HandleFunc("POST /api/v1/tickets", s.takeTicket)
	mux.HandleFunc("GET /api/v1/tickets", s.listTickets)
	mux.HandleFunc("GET /api/v1/tickets/track/{token}", s.trackTicket)
	mux.HandleFunc("POST /api/v1/tickets/{id}/actions/{action}", s.actOnTicket)
	mux.HandleFunc("POST /api/v1/tickets/{id}/rating", s.rateTicket)
	mux.HandleFunc("GET /api/v1/board/events", s.boardEvents) // server-sent events
	mux.HandleFunc("GET /api/v1/appointments/slots", s.appointmentSlots)
	mux.HandleFunc("POST /api/v1/appointments", s.bookAppointment)
	mux.HandleFunc("POST /api/v1/appointments/{code}/check-in", s.checkIn)
	mux.HandleFunc("POST /api/v1/appointments/{code}/cancel", s.cancelAppointment)
}

// newsRoutes are the portal's news (api_news.go): reading is public (the
// visible articles), writing is the unit's leaders' and administrators'.
func (s *Server) newsRoutes(mux router) {
	mux.HandleFunc("GET /api/v1/news", s.listNews)
	mux.HandleFunc("POST /api/v1/news", s.createNews)
	mux.HandleFunc("GET /api/v1/news/categories", s.listNewsCategories)
	mux.HandleFunc("POST /api/v1/news/categories", s.addNewsCategory)
	mux.HandleFunc("POST /api/v1/news/images", s.uploadNewsImage) // the picture as the body: bounded in the handler
	mux.HandleFunc("GET /api/v1/news/{ref}", s.getNews)
	mux.HandleFunc("PUT /api/v1/news/{ref}", s.updateNews)
	mux.HandleFunc("POST /api/v1/news/{ref}/review", s.reviewNews)
}

// pageRoutes are the HTML pages, with Vietnamese addresses: they are what
// citizens read, type and see printed under the receipt's QR code.
func (s *Server) pageRoutes(mux router) {
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /static/{name}", s.static)
	mux.HandleFunc("GET /thu-tuc", s.catalogue)
	mux.HandleFunc("GET /thu-tuc/{code}", s.procedurePage)
	mux.HandleFunc("GET /thu-tuc/{code}/nop", s.submitPage)
	mux.HandleFunc("POST /thu-tuc/{code}/nop", s.submitPost) // with files: bounded by readUploadForm
	mux.HandleFunc("GET /tra-cuu", s.lookupPage)
	mux.HandleFunc("POST /tra-cuu", formLimit(s.lookupPost))
	mux.HandleFunc("POST /tra-cuu/danh-gia", formLimit(s.ratePost))
	mux.HandleFunc("GET /dang-nhap", s.signinPage)
	mux.HandleFunc("POST /dang-nhap", formLimit(s.signinPost))
	mux.HandleFunc("POST /dang-xuat", formLimit(s.signout))
	mux.HandleFunc("GET /auth/oidc/login", s.oidcLogin)
	mux.HandleFunc("GET /auth/oidc/callback", s.oidcCallback)
	mux.HandleFunc("GET /phien-dang-nhap", s.sessionsPage)
	mux.HandleFunc("POST /phien-dang-nhap/{id}", formLimit(s.sessionRevoke))
	mux.HandleFunc("GET /ho-so", s.dossiersPage)
	mux.HandleFunc("GET /ca-nhan", s.profilePage)
	mux.HandleFunc("GET /ho-so/{code}", s.dossierPage)
	mux.HandleFunc("POST /ho-so/{code}/{action}", formLimit(s.dossierAct))
	mux.HandleFunc("POST /ho-so/{code}/finish", s.finishPost) // with the result file: bounded in the handler
	mux.HandleFunc("GET /ho-so/{code}/bien-nhan", s.receipt)
	mux.HandleFunc("GET /ho-so/{code}/tep/{id}", s.attachmentFile)
	mux.HandleFunc("GET /ho-so/{code}/ket-qua", s.resultFilePage)
	mux.HandleFunc("POST /ho-so/{code}/thanh-toan", formLimit(s.payPost))
	mux.HandleFunc("GET /ho-so/{code}/bien-lai", s.paymentReceipt)
	mux.HandleFunc("GET /thanh-toan/ket-qua", s.paymentReturn)
	mux.HandleFunc("POST /ho-so/{code}/thong-bao", formLimit(s.notifyChoicePost))
	mux.HandleFunc("GET /thong-bao/tat", s.notifyOffPage)
	mux.HandleFunc("POST /thong-bao/tat", formLimit(s.notifyOffPost))
	mux.HandleFunc("GET /viec-cua-toi", s.myWorkPage)
	mux.HandleFunc("GET /tiep-nhan", s.counterPage)
	mux.HandleFunc("POST /tiep-nhan", s.counterPost) // with files: bounded by readUploadForm
	mux.HandleFunc("POST /tiep-nhan/nguoi-nop", formLimit(s.counterPerson))
	mux.HandleFunc("GET /thong-ke", s.dashboard)
	mux.HandleFunc("GET /chi-so", s.indexPage)
	mux.HandleFunc("GET /chi-so/xep-hang", s.rankingPage)
	mux.HandleFunc("GET /chi-so/giai-trinh", s.explainPage)
	mux.HandleFunc("GET /chi-so.xlsx", s.indexXLSX)
	mux.HandleFunc("GET /chi-so/xep-hang.xlsx", s.rankingXLSX)
	mux.HandleFunc("GET /chi-so.pdf", s.indexPDF)
	mux.HandleFunc("GET /chi-so/xep-hang.pdf", s.rankingPDF)
	mux.HandleFunc("GET /danh-gia", s.evaluationPage)
	mux.HandleFunc("POST /danh-gia", formLimit(s.evaluationEntryPost))
	mux.HandleFunc("GET /danh-gia/{username}", s.officerEvaluationPage)
	mux.HandleFunc("POST /danh-gia/{username}", formLimit(s.evaluationEntryPost))
	mux.HandleFunc("GET /danh-gia/xuat/{format}", s.evaluationExport)
	mux.HandleFunc("GET /danh-gia/{username}/xuat/{format}", s.officerEvaluationExport)
	s.queuePageRoutes(mux)
	s.documentRoutes(mux)
	s.targetRoutes(mux)
	s.petitionRoutes(mux)
	s.civilPageRoutes(mux)
	s.newsPageRoutes(mux)
	s.groupRoutes(mux)
	s.populationPageRoutes(mux)
	s.adminRoutes(mux)
	mux.HandleFunc("/", s.pageNotFound)
}

// queuePageRoutes are the modern counter's pages: the kiosk, the ticket's
// public page and the booking are public (throttled like the API), the
// board is public, the desk view and its rating tablet are the unit's
// officers', the statistics its leaders' and administrators'.
func (s *Server) queuePageRoutes(mux router) {
	mux.HandleFunc("GET /lay-so", s.kioskPage)
	mux.HandleFunc("POST /lay-so", formLimit(s.kioskTake))
	mux.HandleFunc("POST /lay-so/hen", formLimit(s.kioskCheckIn))
	mux.HandleFunc("GET "+TicketPagePath+"{token}", s.ticketPage)
	mux.HandleFunc("POST "+TicketPagePath+"{token}/danh-gia", formLimit(s.ticketRatePost))
	mux.HandleFunc("GET /dat-lich", s.bookingPage)
	mux.HandleFunc("POST /dat-lich", formLimit(s.bookingPost))
	mux.HandleFunc("GET /bang-goi-so", s.boardPage)
	mux.HandleFunc("GET /quay/{id}", s.deskPage)
	mux.HandleFunc("POST /quay/{id}/{action}", formLimit(s.deskPost))
	mux.HandleFunc("GET /quay/{id}/danh-gia", s.tabletPage)
	mux.HandleFunc("POST /quay/{id}/danh-gia", formLimit(s.tabletPost))
	mux.HandleFunc("GET /thong-ke/quay", s.deskStatsPage)
}

// formLimit bounds a page form's body as the API bounds JSON: a form of
// this site never comes near 1 MB.
func formLimit(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		h(w, r)
	}
}
