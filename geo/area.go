package geo

import "math"

// Areas are geodesic, on the WGS 84 ellipsoid. Each latitude is turned
// into its authalic latitude: on the sphere of the same surface (radius
// R_q), areas between two authalic latitudes equal the ellipsoid's between
// the geodetic ones. On that sphere a ring's area is summed edge by edge
// as the signed area between the edge and the equator: the edge's change
// of longitude times the mean sine of the authalic latitude along it. An
// edge runs straight in longitude and latitude, as GeoJSON draws it and
// as the overlay cuts it, so that a position added along an edge (where
// a line splits an area) does not change the area; the mean is exact for
// edges along parallels and meridians and taken by Gauss–Legendre
// quadrature for others.

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
	for i := 1; i < len(r); i++ {
		// Edges run straight in longitude, never across the
		// antimeridian: RFC 7946 wants shapes that cross it cut in two,
		// and the checks and the overlay read coordinates the same way.
		dLon := r[i][0] - r[i-1][0]
		if dLon == 0 {
			continue // along a meridian: no area between it and the equator
		}
		sum += dLon * math.Pi / 180 * meanSinAuthalic(r[i-1][1], r[i][1])
	}
	// Summed this way, a counter-clockwise ring comes out negative.
	return -sum * AuthalicRadius * AuthalicRadius
}

// gauss3 are the nodes (on [-1, 1]) and weights of three-point
// Gauss–Legendre quadrature, exact for polynomials of degree 5.
var gauss3 = [3][2]float64{{-0.7745966692414834, 5.0 / 9}, {0, 8.0 / 9}, {0.7745966692414834, 5.0 / 9}}

// meanSinAuthalic returns the mean of the sine of the authalic latitude
// along an edge from latitude lat0 to lat1 whose latitude changes evenly
// with its longitude: the height, on the equal-area sphere, of the strip
// between the edge and the equator. It is exact for an edge along a
// parallel; for others the quadrature is taken over steps of at most
// 0.05 radians of latitude, which keeps it within 1e-13.
func meanSinAuthalic(lat0, lat1 float64) float64 {
	if lat0 == lat1 {
		return sinAuthalic(lat0)
	}
	φ0, φ1 := lat0*math.Pi/180, lat1*math.Pi/180
	steps := max(1, int(math.Ceil(math.Abs(φ1-φ0)/0.05)))
	h := (φ1 - φ0) / float64(steps)
	sum := 0.0
	for k := range steps {
		mid := φ0 + (float64(k)+0.5)*h
		for _, g := range gauss3 {
			sum += g[1] * authalicQ(mid+g[0]*h/2)
		}
	}
	// Each step's weights sum to 2.
	return sum / (2 * float64(steps)) / qPole
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
