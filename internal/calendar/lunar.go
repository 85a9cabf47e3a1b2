package calendar

import "math"

// The lunar calendar below is Hồ Ngọc Đức's algorithm ("Thuật toán tính âm
// lịch"), built on Jean Meeus' "Astronomical Algorithms": months start on the
// local day of the astronomical new moon, month 11 holds the winter solstice,
// and in a 13-month year the first month without a major solar term (trung
// khí) is the leap month. It is computed for UTC+7, the time zone Viet Nam
// has used since 1968, and is accurate for about 1800–2199.

// lunarTZ is the time zone, in hours, the lunar calendar is computed for.
const lunarTZ = 7.0

// Epoch constants of the algorithm: the Julian day of the new moon of
// 1900-01-01 and the mean synodic month.
const (
	newMoon1900   = 2415021.076998695
	synodicMonth  = 29.530588853
	jdMonthOrigin = 2415021
)

// LunarDate is a date of the Vietnamese lunar calendar. Leap marks the leap
// (nhuận) copy of Month.
type LunarDate struct {
	Year, Month, Day int
	Leap             bool
}

// SolarToLunar converts a Gregorian date to the lunar calendar.
func SolarToLunar(y, m, d int) LunarDate {
	day := jdFromDate(d, m, y)
	monthStart := monthStartOn(day)
	a11, b11 := lunarMonth11(y), 0
	lunarYear := y
	if a11 >= monthStart {
		b11 = a11
		a11 = lunarMonth11(y - 1)
	} else {
		lunarYear = y + 1
		b11 = lunarMonth11(y + 1)
	}
	diff := (monthStart - a11) / 29
	month, leap := diff+11, false
	if b11-a11 > 365 {
		if leapOff := leapMonthOffset(a11); diff >= leapOff {
			month = diff + 10
			leap = diff == leapOff
		}
	}
	if month > 12 {
		month -= 12
	}
	if month >= 11 && diff < 4 {
		lunarYear--
	}
	return LunarDate{Year: lunarYear, Month: month, Day: day - monthStart + 1, Leap: leap}
}

// LunarToSolar converts a lunar date to the Gregorian calendar. ok is false
// when the date does not exist: a month out of range, a leap month the year
// does not have, or a day past the month's 29 or 30 days.
func LunarToSolar(l LunarDate) (y, m, d int, ok bool) {
	start, ok := lunarMonthStart(l.Year, l.Month, l.Leap)
	if !ok || l.Day < 1 || l.Day > monthLength(start) {
		return 0, 0, 0, false
	}
	d, m, y = jdToDate(start + l.Day - 1)
	return y, m, d, true
}

// lunarMonthStart returns the Julian day number of the first day of a lunar
// month, ok false when the month does not exist.
func lunarMonthStart(year, month int, leap bool) (int, bool) {
	if month < 1 || month > 12 {
		return 0, false
	}
	var a11, b11 int
	if month < 11 {
		a11, b11 = lunarMonth11(year-1), lunarMonth11(year)
	} else {
		a11, b11 = lunarMonth11(year), lunarMonth11(year+1)
	}
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return 0, false
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return 0, false
	}
	k := floor(0.5 + (float64(a11)-newMoon1900)/synodicMonth)
	return newMoonDay(k + off), true
}

// monthStartOn is the Julian day number the lunar month holding day starts.
// The mean-motion guess of the month can be one too high when a true new
// moon runs late (2054-05-07 is such a day), so step back until it fits.
func monthStartOn(day int) int {
	k := floor((float64(day)-newMoon1900)/synodicMonth) + 1
	start := newMoonDay(k)
	for start > day {
		k--
		start = newMoonDay(k)
	}
	return start
}

// monthLength is the number of days of the lunar month starting on day jd.
func monthLength(jd int) int {
	k := floor(0.5 + (float64(jd)-newMoon1900)/synodicMonth)
	return newMoonDay(k+1) - jd
}

// jdFromDate is the Julian day number of a Gregorian date.
func jdFromDate(dd, mm, yy int) int {
	a := (14 - mm) / 12
	y := yy + 4800 - a
	m := mm + 12*a - 3
	return dd + (153*m+2)/5 + 365*y + y/4 - y/100 + y/400 - 32045
}

// jdToDate is the Gregorian date of a Julian day number.
func jdToDate(jd int) (dd, mm, yy int) {
	a := jd + 32044
	b := (4*a + 3) / 146097
	c := a - b*146097/4
	d := (4*c + 3) / 1461
	e := c - 1461*d/4
	m := (5*e + 2) / 153
	dd = e - (153*m+2)/5 + 1
	mm = m + 3 - 12*(m/10)
	yy = b*100 + d - 4800 + m/10
	return dd, mm, yy
}

// newMoon is the Julian date (UT) of the k-th new moon after 1900-01-01.
func newMoon(k int) float64 {
	const dr = math.Pi / 180
	kf := float64(k)
	t := kf / 1236.85
	t2, t3 := t*t, t*t*t
	jd1 := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m) -
		0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr) -
		0.0004*math.Sin(dr*3*mpr) +
		0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr)) -
		0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m)) -
		0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr)) +
		0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	return jd1 + c1 - deltaT(t)
}

// deltaT is the difference between dynamical and universal time, in days.
func deltaT(t float64) float64 {
	t2, t3 := t*t, t*t*t
	if t < -11 {
		return 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	}
	return -0.000278 + 0.000265*t + 0.000262*t2
}

// newMoonDay is the local Julian day number of the k-th new moon.
func newMoonDay(k int) int {
	return floor(newMoon(k) + 0.5 + lunarTZ/24)
}

// sunLongitude is the sun's apparent longitude, in radians within [0, 2π),
// at Julian date jdn (UT).
func sunLongitude(jdn float64) float64 {
	const dr = math.Pi / 180
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// sunSector is the 30° sector (0–11) of the sun's longitude at the start of
// local day jd; sector changes mark the major solar terms.
func sunSector(jd int) int {
	return floor(sunLongitude(float64(jd)-0.5-lunarTZ/24) / math.Pi * 6)
}

// lunarMonth11 is the local Julian day the lunar month 11 that holds the
// winter solstice of year yy starts.
func lunarMonth11(yy int) int {
	off := jdFromDate(31, 12, yy) - jdMonthOrigin
	k := floor(float64(off) / synodicMonth)
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

// leapMonthOffset is the index, counted from month 11 at a11, of the leap
// month: the first month in which the sun stays in one sector.
func leapMonthOffset(a11 int) int {
	k := floor((float64(a11)-newMoon1900)/synodicMonth + 0.5)
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

func floor(x float64) int { return int(math.Floor(x)) }
