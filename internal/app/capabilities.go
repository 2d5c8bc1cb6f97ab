package app

import (
	"guichet/internal/capability/a11y/a11yweb"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/capability/attractiveness/attractivenessweb"
	"guichet/internal/capability/communities/communitiesweb"
	"guichet/internal/capability/council/councilweb"
	"guichet/internal/capability/directory/directoryweb"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/fediverse/fediverseweb"
	"guichet/internal/capability/network/networkweb"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/capability/newsletter/newsletterweb"
	"guichet/internal/capability/pages/pagesweb"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/capability/questions/questionsweb"
	"guichet/internal/capability/queue/queueweb"
	"guichet/internal/capability/reports/reportsweb"
	"guichet/internal/capability/sharing/sharingweb"
	"guichet/internal/capability/urbanism/urbanismweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/privacy/privacyweb"
)

// Capabilities returns, in the order they are installed, new instances of
// everything a collectivité offers. Adding a capability is one line here.
func Capabilities() []kernel.Capability {
	return []kernel.Capability{
		// The home page shows the blocks in this order: alerts, news, events.
		alertsweb.NewCapability(),
		newsweb.NewCapability(),
		eventsweb.NewCapability(),
		pagesweb.NewCapability(),
		// Before the capabilities that read the directory through the kernel.
		directoryweb.NewCapability(),
		// After the directory, whose organisations its demo ties together.
		networkweb.NewCapability(),
		// After events and the directory, which its pages for entrepreneurs
		// and visitors read.
		attractivenessweb.NewCapability(),
		questionsweb.NewCapability(),
		appointmentweb.NewCapability(),
		// Before the procedures: their demo files applications on the
		// parcels the territory's demo imports.
		urbanismweb.NewCapability(),
		procedureweb.NewCapability(),
		queueweb.NewCapability(),
		councilweb.NewCapability(),
		// After urbanism, whose territory (addresses, map) it draws on.
		reportsweb.NewCapability(),
		// After news and events: its demo draft presents their latest.
		newsletterweb.NewCapability(),
		sharingweb.NewCapability(),
		fediverseweb.NewCapability(),
		// After news, events, alerts and the directory, whose items and
		// entries its communities show.
		communitiesweb.NewCapability(),
		// After the communities, whose spaces and neighbourhoods' polls it
		// ties to them, and events, whose meetings its threads lead to.
		participationweb.NewCapability(),
		a11yweb.NewCapability(),
		// Last: its eraser also removes what the others mailed the person.
		privacyweb.NewCapability(),
	}
}
