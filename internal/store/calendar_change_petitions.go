package store

import (
	"context"
	"strconv"

	"github.com/motcua/motcua/internal/petition"
)

// recomputePetitionBatch is recomputeBatch for the open petitions whose
// clock runs (a petition waiting for its sender keeps its due time): each
// moved one is written with a recompute event on its chain, in the batch's
// transaction.
func (c *Calendars) recomputePetitionBatch(ctx context.Context, changed calUnit, after int64, calsFor func(calUnit) (calPair, error), why string, res *RecomputeResult) (n int, lastID int64, err error) {
	err = c.DB.inTx(ctx, func(tx *Tx) error {
		q := `SELECT ` + qualified(petitionCols) + `, u.path, u.office_hours FROM petitions JOIN units u ON u.code = petitions.unit_code
			WHERE petitions.id > ? AND petitions.status IN (1, 2, 4) AND petitions.due_at > 0`
		args := []any{after}
		if changed.path != "" {
			q += ` AND (u.path = ? OR u.path LIKE ?)` // paths are digits and '/': nothing to escape
			args = append(args, changed.path, changed.path+"/%")
		}
		type item struct {
			p     *petition.Petition
			chain chainState
			unit  calUnit
		}
		var items []item
		rows, err := tx.query(ctx, q+` ORDER BY petitions.id LIMIT `+strconv.Itoa(recomputeBatchSize), args...)
		err = foldRows(rows, err, func(sc scanner) error {
			var it item
			p, chain, err := scanPetition(scanWithExtra{sc, []any{&it.unit.path, &it.unit.hours}})
			it.p, it.chain = p, chain
			items = append(items, it)
			return err
		})
		if err != nil {
			return err
		}
		now := c.DB.Now()
		for _, it := range items {
			n, lastID = n+1, it.p.ID
			pair, err := calsFor(it.unit)
			if err != nil {
				return err
			}
			if pair.old == nil {
				continue // the unit sets the date itself
			}
			res.PetitionsChecked++
			version := it.p.Version
			ch, ok := petition.Recompute(it.p, pair.old, pair.new, now, why)
			if !ok {
				continue
			}
			if err := writePetition(ctx, tx, it.p, version, it.chain, ch); err != nil {
				return err
			}
			res.PetitionsMoved++
		}
		return nil
	})
	return n, lastID, err
}
