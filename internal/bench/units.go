package bench

import (
	"fmt"
	"os"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/unit"
)

// ProvinceUnits returns a province and its communes from a list of units
// (either format unit.Parse reads); with no path, the demo's units.
func ProvinceUnits(path, province string) (unit.Unit, []unit.Unit, error) {
	all := demo.Units()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return unit.Unit{}, nil, err
		}
		defer f.Close()
		if all, err = unit.Parse(f); err != nil {
			return unit.Unit{}, nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	var prov unit.Unit
	var communes []unit.Unit
	for _, u := range all {
		switch {
		case u.Code == province:
			prov = u
		case u.ParentCode == province:
			communes = append(communes, u)
		}
	}
	if prov.Code == "" || len(communes) == 0 {
		return prov, nil, fmt.Errorf("province %s with its communes is not in the list of units", province)
	}
	return prov, communes, nil
}
