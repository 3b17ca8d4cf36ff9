package geo

import "math"

// Areas are geodesic, on the WGS 84 ellipsoid. Each latitude is turned
// into its authalic latitude: on the sphere of the same surface (radius
// R_q), areas between two authalic latitudes equal the ellipsoid's between
// the geodetic ones. On that sphere a ring's area is summed edge by edge
// as the signed area between the edge and the equator, treating the edge
// as a straight line in longitude and sine of latitude (Lambert's
// cylindrical equal-area projection, where areas are true): exact for
// edges along parallels and meridians, and off by far less than the base
// data's own error for the short edges of real borders.

// WGS 84.
const (
	wgs84A  = 6378.137              // semi-major axis, km
	wgs84F  = 1 / 298.257223563     // flattening
	wgs84E2 = wgs84F * (2 - wgs84F) // first eccentricity squared
)

var (
	wgs84E = math.Sqrt(wgs84E2)
	// qPole is q at the pole; the authalic radius follows from it.
	qPole = authalicQ(math.Pi / 2)
	// AuthalicRadius is the radius in km of the sphere with the WGS 84
	// ellipsoid's surface.
	AuthalicRadius = wgs84A * math.Sqrt(qPole/2)
)

// MeanRadius is the mean radius of the Earth in km (IUGG), for lengths.
const MeanRadius = 6371.0088

// authalicQ is the function q(φ) of the authalic latitude.
func authalicQ(phi float64) float64 {
	s := math.Sin(phi)
	return (1 - wgs84E2) * (s/(1-wgs84E2*s*s) - 1/(2*wgs84E)*math.Log((1-wgs84E*s)/(1+wgs84E*s)))
}

// sinAuthalic returns the sine of the authalic latitude of a geodetic
// latitude in degrees.
func sinAuthalic(lat float64) float64 {
	return authalicQ(lat*math.Pi/180) / qPole
}

// RingArea returns the signed geodesic area of a ring in km²: positive
// when it runs counter-clockwise.
func RingArea(r Ring) float64 {
	if len(r) < 4 {
		return 0
	}
	sum := 0.0
	prevSin := sinAuthalic(r[0][1])
	for i := 1; i < len(r); i++ {
		s := sinAuthalic(r[i][1])
		// Edges run straight in longitude, never across the
		// antimeridian: RFC 7946 wants shapes that cross it cut in two,
		// and the checks and the overlay read coordinates the same way.
		dLon := r[i][0] - r[i-1][0]
		sum += dLon * math.Pi / 180 * (prevSin + s)
		prevSin = s
	}
	// Summed this way, a counter-clockwise ring comes out negative.
	return -sum / 2 * AuthalicRadius * AuthalicRadius
}

// Area returns the geodesic area of an area in km²: each polygon's
// exterior less its holes, whatever their winding.
func Area(m MultiPolygon) float64 {
	total := 0.0
	for _, p := range m {
		for i, r := range p {
			a := math.Abs(RingArea(r))
			if i == 0 {
				total += a
			} else {
				total -= a
			}
		}
	}
	return total
}

// Length returns the length of a line in km, along great circles on the
// sphere of the Earth's mean radius (haversine): within about 0.5% of the
// ellipsoid's geodesics, well inside what a drawn line can claim.
func Length(l Line) float64 {
	total := 0.0
	for i := 1; i < len(l); i++ {
		total += Distance(l[i-1], l[i])
	}
	return total
}

// Distance returns the great-circle distance between two positions in km
// (haversine, on the mean radius).
func Distance(a, b Point) float64 {
	φ1, φ2 := a[1]*math.Pi/180, b[1]*math.Pi/180
	dφ, dλ := φ2-φ1, (b[0]-a[0])*math.Pi/180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * MeanRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}
