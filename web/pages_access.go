package web

import "net/http"

// accessRoutes is the route table of who may see and do what: the
// sharing form of every kind of record, a process's audit log and
// members, and the administrator's accounts. The pages only ask; the
// store decides, by the actor in the request's context.
func (s *Server) accessRoutes(mux *router, post func(string, http.HandlerFunc)) {
	for _, kind := range shareKinds {
		mux.HandleFunc("GET /"+kind+"/{id}/share", s.handleSharePage(shareLoaders[kind]))
		post("/"+kind+"/{id}/share", s.handleShare(shareLoaders[kind]))
	}

	mux.HandleFunc("GET /processes/{id}/audit", s.handleAuditPage)

	mux.HandleFunc("GET /processes/{id}/members", s.handleMembersPage)
	post("/processes/{id}/members", s.handleMemberSet)
	post("/processes/{id}/members/{user}/remove", s.handleMemberRemove)

	mux.HandleFunc("GET /admin/users", s.handleUsersPage)
	post("/admin/users", s.handleUserCreate)
	post("/admin/users/{id}/disable", s.handleUserDisabled(true))
	post("/admin/users/{id}/enable", s.handleUserDisabled(false))
}
