package web

import (
	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/news"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
)

// RequestTypes are the Go types the API decodes request bodies into, by
// the operationId of openapi.json, for the test that holds the two alike.
var RequestTypes = map[string]any{
	"login":              loginRequest{},
	"submitDossier":      dossier.SubmitRequest{},
	"actOnDossier":       dossier.ActionRequest{},
	"rateDossier":        ratingRequest{},
	"changeUnitCalendar": calendarDayRequest{},
	"indexEntry":         indexEntryInput{},
	"verifyPopulation":   populationRequest{},

	// The administrator's webhooks.
	"addWebhook":       newWebhookRequest{},
	"setWebhookActive": webhookActiveRequest{},

	// The leaders' evaluation entries.
	"addEvaluationEntry": entryRequest{},
	// The unit's targets.
	"addTarget":    targetRequest{},
	"updateTarget": targetRequest{},
	"addActual":    actualRequest{},
	// The petitions.
	"submitPetition": petition.SubmitRequest{},
	"actOnPetition":  petitionActionRequest{},
	// The counter queue.
	"saveQueueGroup":    groupRequest{},
	"addDesk":           deskRequest{},
	"updateDesk":        deskRequest{},
	"takeTicket":        store.TicketRequest{},
	"actOnTicket":       store.TicketAction{},
	"rateTicket":        ticketRatingRequest{},
	"bookAppointment":   store.BookRequest{},
	"cancelAppointment": cancelRequest{},
	// The news.
	"createNews":      news.Input{},
	"updateNews":      news.Input{},
	"reviewNews":      newsReview{},
	"addNewsCategory": newsCategoryRequest{},
	// The residential groups.
	"addGroup":            residentialRequest{},
	"updateGroup":         residentialRequest{},
	"addGroupLeader":      leaderRequest{},
	"addAnnouncement":     announcementRequest{},
	"subscribeGroup":      announce.SubscribeRequest{},
	"confirmSubscription": confirmRequest{},
	"unsubscribe":         unsubscribeRequest{},
}
