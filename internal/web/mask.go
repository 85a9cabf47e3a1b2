package web

import (
	"github.com/motcua/motcua/internal/portal"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/vntext"
)

// maskRecipient shows where a message goes without giving away the
// citizen's phone or e-mail: an administrator needs to tell messages
// apart, not to read contacts. A webhook's recipient is the subscription's
// number and the portal's the dossier's code: neither is personal, so they
// are shown as they are.
func maskRecipient(channel, r string) string {
	if channel == store.ChannelWebhook || channel == portal.Channel {
		return r
	}
	return vntext.MaskContact(r)
}
