package queueweb

import (
	"net/http"
	"slices"
	"strings"

	"guichet"
	"guichet/internal/capability/queue"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// agentOf is the signed-in agent, who holds counters.
func agentOf(r *http.Request) queue.Agent {
	id := account.FromContext(r.Context())
	name := id.Name
	if name == "" {
		name = id.Email
	}
	return queue.Agent{ID: id.UserID, Name: name}
}

// consoleHome lists the sites' counters: the agent opens one, choosing
// the services it serves.
func (m *Module) consoleHome(w http.ResponseWriter, r *http.Request) error {
	return m.renderConsoleHome(w, r, http.StatusOK, nil)
}

func (m *Module) renderConsoleHome(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	sites, err := m.store.Sites(r.Context(), tenantID(r))
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Sites": sites, "Me": agentOf(r).ID,
		"Admin": account.FromContext(r.Context()).Has(account.RoleAdmin)})
	p.Title = p.T("queue.console.home_title")
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "queue/console_home", p)
	return nil
}

// counterOf returns the path's counter and its site.
func (m *Module) counterOf(r *http.Request) (*queue.Counter, *queue.Site, error) {
	sites, err := m.store.Sites(r.Context(), tenantID(r))
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sites {
		if c := s.Counter(r.PathValue("id")); c != nil {
			return c, s, nil
		}
	}
	return nil, nil, queue.ErrNotFound
}

// console is an open counter's page: the ticket under way, the actions
// with their keyboard shortcuts, the people waiting.
func (m *Module) console(w http.ResponseWriter, r *http.Request) error {
	return m.renderConsole(w, r, http.StatusOK, nil, "")
}

func (m *Module) renderConsole(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, problem string) error {
	c, site, err := m.counterOf(r)
	if err != nil {
		return err
	}
	if c.State == queue.Closed || c.AgentID != agentOf(r).ID {
		return web.Redirect(w, r, ConsolePath)
	}
	cur, err := m.store.Current(r.Context(), site, c.ID)
	if err != nil {
		return err
	}
	waiting, err := m.store.Waiting(r.Context(), site, 30)
	if err != nil {
		return err
	}
	services, err := m.serviceViews(r, site)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", nil)
	type waitingView struct {
		Label, Service, Since string
		Priority              int
		Mine                  bool
	}
	var rows []waitingView
	for _, t := range waiting {
		svc := site.Service(t.ServiceID)
		rows = append(rows, waitingView{Label: t.Label, Service: svc.Name, Since: t.QueuedAt.In(loc(r)).Format("15:04"),
			Priority: t.Priority, Mine: slices.Contains(c.Services, t.ServiceID) && (t.ForCounter == "" || t.ForCounter == c.ID)})
	}
	outcomes := make([]publishingweb.Option, len(queue.Outcomes))
	for i, o := range queue.Outcomes {
		outcomes[i] = publishingweb.Option{Value: o, Label: p.T("queue.outcome." + o)}
	}
	var targets []publishingweb.Option
	for _, svc := range site.Services {
		targets = append(targets, publishingweb.Option{Value: "service:" + svc.ID, Label: p.T("queue.console.to_service", svc.Name)})
	}
	for _, o := range site.Counters {
		if o.ID != c.ID && o.State != queue.Closed {
			targets = append(targets, publishingweb.Option{Value: "counter:" + o.ID, Label: p.T("queue.console.to_counter", o.Name)})
		}
	}
	var curView map[string]any
	if cur != nil {
		curView = map[string]any{"Label": cur.Label, "Service": site.Service(cur.ServiceID).Name, "Priority": cur.Priority,
			"Called": cur.CalledAt.In(loc(r)).Format("15:04"), "Taken": cur.CreatedAt.In(loc(r)).Format("15:04"),
			"Reference": cur.AppointmentRef, "Recalls": cur.Recalls}
	}
	serving := map[string]bool{}
	for _, id := range c.Services {
		serving[id] = true
	}
	p.Data = map[string]any{"Counter": c, "Site": site, "Current": curView, "Waiting": rows, "Services": services,
		"Serving": serving, "Outcomes": outcomes, "Targets": targets, "Base": "/gestion/accueil/guichets/" + c.ID}
	p.Title = p.T("queue.console.title", c.Name)
	p.Errors, p.Form = errs, r.PostForm
	p.Data.(map[string]any)["Problem"] = problem
	m.s.Render.Page(w, r, status, "queue/console", p)
	return nil
}

// openCounter opens a counter for the signed-in agent.
func (m *Module) openCounter(w http.ResponseWriter, r *http.Request) error {
	c, site, err := m.counterOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err = m.store.OpenCounter(r.Context(), site, c.ID, agentOf(r), r.PostForm["services"])
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderConsoleHome(w, r, http.StatusUnprocessableEntity, map[string]string{"services-" + c.ID: fields["services"]})
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.counter_open", c.ID)
	return web.Redirect(w, r, "/gestion/accueil/guichets/"+c.ID)
}

// act runs one console action and shows the console again.
func (m *Module) act(w http.ResponseWriter, r *http.Request, do func(site *queue.Site, c *queue.Counter) error) error {
	c, site, err := m.counterOf(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err = do(site, c)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderConsole(w, r, http.StatusUnprocessableEntity, fields, "")
	}
	switch guichet.ErrorCode(err) {
	case "":
	case guichet.EConflict:
		// Somebody else's move (the counter closed, nobody to recall):
		// the console says so and shows where things stand.
		return m.renderConsole(w, r, http.StatusConflict, nil, guichet.ErrorMessage(err))
	default:
		return err
	}
	return web.Redirect(w, r, "/gestion/accueil/guichets/"+c.ID)
}

func (m *Module) callNext(w http.ResponseWriter, r *http.Request) error {
	return m.act(w, r, func(site *queue.Site, c *queue.Counter) error {
		t, err := m.store.CallNext(r.Context(), site, c.ID, agentOf(r))
		if err == nil && t == nil {
			return guichet.Errorf(guichet.EConflict, "Personne n'attend pour les services de ce guichet.")
		}
		return err
	})
}

func (m *Module) recall(w http.ResponseWriter, r *http.Request) error {
	return m.act(w, r, func(site *queue.Site, c *queue.Counter) error {
		_, err := m.store.Recall(r.Context(), site, c.ID, agentOf(r))
		return err
	})
}

func (m *Module) finish(w http.ResponseWriter, r *http.Request) error {
	return m.act(w, r, func(site *queue.Site, c *queue.Counter) error {
		return m.store.Finish(r.Context(), site, c.ID, agentOf(r), queue.Done, r.PostForm.Get("outcome"))
	})
}

func (m *Module) absent(w http.ResponseWriter, r *http.Request) error {
	return m.act(w, r, func(site *queue.Site, c *queue.Counter) error {
		return m.store.Finish(r.Context(), site, c.ID, agentOf(r), queue.Absent, "")
	})
}

func (m *Module) transfer(w http.ResponseWriter, r *http.Request) error {
	return m.act(w, r, func(site *queue.Site, c *queue.Counter) error {
		to := r.PostForm.Get("to")
		kind, id, _ := strings.Cut(to, ":")
		switch kind {
		case "service":
			return m.store.Transfer(r.Context(), site, c.ID, agentOf(r), id, "")
		case "counter":
			return m.store.Transfer(r.Context(), site, c.ID, agentOf(r), "", id)
		}
		return guichet.Invalid(map[string]string{"to": "Choisissez un service ou un guichet."})
	})
}

func (m *Module) pause(w http.ResponseWriter, r *http.Request) error {
	return m.act(w, r, func(site *queue.Site, c *queue.Counter) error {
		return m.store.SetPaused(r.Context(), site, c.ID, agentOf(r), c.State == queue.Open)
	})
}

// closeCounter closes the counter and returns to the list.
func (m *Module) closeCounter(w http.ResponseWriter, r *http.Request) error {
	c, site, err := m.counterOf(r)
	if err != nil {
		return err
	}
	err = m.store.CloseCounter(r.Context(), site, c.ID, agentOf(r))
	if guichet.ErrorCode(err) == guichet.EConflict {
		return m.renderConsole(w, r, http.StatusConflict, nil, guichet.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "queue.counter_close", c.ID)
	return web.Redirect(w, r, ConsolePath)
}
