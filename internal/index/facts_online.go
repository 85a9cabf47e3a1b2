package index

// onlineService adds the indicators of online service that the catalogue
// and the roll-ups per procedure answer. 3.2: the procedures offered online
// that received at least one dossier online in the period ÷ the procedures
// offered online.
func (f Facts) onlineService(out map[string]Count) {
	out["3.2"] = Count{Numerator: f.OnlineUsed, Denominator: f.ProceduresOnline}
}
