package web

import (
	"net/http"

	"parley"
)

// channelAPI describes channels to the generic handlers.
func (s *Server) channelAPI() record[parley.Channel] {
	x := s.svc.Channels
	return record[parley.Channel]{collection: "channels", find: x.FindChannelByID, list: x.FindChannels, create: x.CreateChannel,
		update: x.UpdateChannel, fields: func(v *parley.Channel) recordFields {
			return recordFields{id: &v.ID, processID: &v.ProcessID, classification: &v.Classification}
		}}
}

// handleAPIChannelList lists the channels of a process.
func (s *Server) handleAPIChannelList(w http.ResponseWriter, r *http.Request) {
	listRecords(s, w, r, s.channelAPI())
}

// handleAPIChannelCreate creates a channel in a process.
func (s *Server) handleAPIChannelCreate(w http.ResponseWriter, r *http.Request) {
	createRecord(s, w, r, s.channelAPI())
}

// handleAPIChannelGet returns a channel.
func (s *Server) handleAPIChannelGet(w http.ResponseWriter, r *http.Request) {
	getRecord(s, w, r, s.channelAPI())
}

// handleAPIChannelUpdate changes the fields of a channel given in the body.
func (s *Server) handleAPIChannelUpdate(w http.ResponseWriter, r *http.Request) {
	patchRecord(s, w, r, s.channelAPI())
}
