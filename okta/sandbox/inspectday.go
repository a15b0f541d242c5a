package sandbox

// SessionCount is the number of live sessions of the user with this id.
func (o *Org) SessionCount(userID string) int {
	o.ensureDay()
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.day.sessions[userID])
}

// FactorCount is the number of MFA factors enrolled by the user with this id.
func (o *Org) FactorCount(userID string) int {
	o.ensureDay()
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.day.factors[userID])
}

// OAuthGrantCount is the number of OAuth tokens issued to the user with
// this id (revoked by clearing sessions with oauthTokens=true).
func (o *Org) OAuthGrantCount(userID string) int {
	o.ensureDay()
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.day.grants[userID]
}

// LogEventCount is the number of events in the System Log.
func (o *Org) LogEventCount() int {
	o.ensureDay()
	o.mu.RLock()
	defer o.mu.RUnlock()
	return len(o.day.log.events)
}
