package store

import "time"

// onlineTable adds the loaded days to the online days already there.
var onlineTable = bulkTable{name: "online_days", cols: "unit_code, year, procedure_code, " + onlineCols, suffix: orOnConflict}

// onlineRows marks, from the batch's roll-ups, the days with dossiers
// received online for each receiving unit and the units above it, as
// addOnlineDay would have row by row.
func (b *Bulk) onlineRows(batch *bulkBatch) rowBuf {
	days := map[onlineKey]*onlineBits{}
	for k, r := range batch.rollups {
		if k.channel != 2 || r[receivedIndex] <= 0 {
			continue
		}
		unit := batch.unitNames[k.unit]
		t := time.Unix(int64(k.day)*86400, 0).UTC()
		for _, u := range append([]string{unit}, ancestors(b.paths[unit], unit)...) {
			key := onlineKey{unit: u, proc: batch.procNames[k.proc], year: t.Year()}
			if days[key] == nil {
				days[key] = &onlineBits{}
			}
			days[key].set(t.YearDay() - 1)
		}
	}
	var rows rowBuf
	for k, bits := range days {
		rows.row()
		rows.text(k.unit)
		rows.int(int64(k.year))
		rows.text(k.proc)
		for _, w := range bits {
			rows.int(w)
		}
	}
	return rows
}
