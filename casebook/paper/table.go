package paper

// Tables: ruled cells, text wrapped in each, rows kept whole on a page, the
// header row repeated at the top of each page a table runs on to.

// Col is a table column: a header, a share of the body's width, and
// whether its text is right-aligned (numbers).
type Col struct {
	Header string
	Width  float64 // share of the body width; the shares are scaled to fill it
	Right  bool
}

// Table draws a table at the cursor with body text of style st.
func (d *doc) Table(cols []Col, rows [][]string, st Style) {
	total := 0.0
	for _, c := range cols {
		total += c.Width
	}
	ws := make([]float64, len(cols))
	for i, c := range cols {
		ws[i] = c.Width / total * d.width()
	}
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Header
	}
	hst := Style{Size: st.Size, Bold: true}
	hasHead := false
	for _, h := range head {
		hasHead = hasHead || h != ""
	}
	if hasHead {
		first := 0.0
		if len(rows) > 0 {
			first = d.rowHeight(ws, rows[0], st)
		}
		d.need(d.rowHeight(ws, head, hst) + first)
		d.row(ws, cols, head, hst, true)
	}
	for _, r := range rows {
		if d.need(d.rowHeight(ws, r, st)) && hasHead {
			d.row(ws, cols, head, hst, true)
		}
		d.row(ws, cols, r, st, false)
	}
	d.y += 1.5
}

// cellPad is the padding inside a cell, mm.
const cellPad = 1.2

func (d *doc) rowHeight(ws []float64, cells []string, st Style) float64 {
	lines := 1
	for i, c := range cells {
		if i < len(ws) {
			lines = max(lines, len(d.Wrap(c, st, ws[i]-2*cellPad)))
		}
	}
	return float64(lines)*st.Size*ptToMM*1.35 + 2*cellPad
}

// row draws one row of cells at the cursor, shaded if head.
func (d *doc) row(ws []float64, cols []Col, cells []string, st Style, head bool) {
	h := d.rowHeight(ws, cells, st)
	x := d.margin
	lh := st.Size * ptToMM * 1.35
	for i, w := range ws {
		if head {
			d.pdf.SetFillColor(232, 238, 247)
			d.pdf.Rect(x, d.y, w, h, "FD")
		} else {
			d.pdf.Rect(x, d.y, w, h, "D")
		}
		if i < len(cells) {
			for j, l := range d.Wrap(cells[i], st, w-2*cellPad) {
				lx := x + cellPad
				if cols[i].Right && !head {
					lx = x + w - cellPad - d.Width(l, st)
				}
				d.Text(lx, d.y+cellPad+float64(j)*lh+st.Size*ptToMM*0.95, l, st)
			}
		}
		x += w
	}
	d.y += h
}

// Fields draws label–value pairs in a ruled grid of pairs per row (2 or 1),
// labels shaded: the form of a 办理单.
func (d *doc) Fields(pairs [][2]string, perRow int, st Style) {
	labelW := d.Width("办理时限（签收）", st) + 2*cellPad
	valueW := d.width()/float64(perRow) - labelW
	var ws []float64
	var cols []Col
	for range perRow {
		ws = append(ws, labelW, valueW)
		cols = append(cols, Col{}, Col{})
	}
	for i := 0; i < len(pairs); i += perRow {
		var cells []string
		for j := i; j < i+perRow; j++ {
			if j < len(pairs) {
				cells = append(cells, pairs[j][0], pairs[j][1])
			} else {
				cells = append(cells, "", "")
			}
		}
		h := d.rowHeight(ws, cells, st)
		d.need(h)
		x := d.margin
		for k, w := range ws {
			if k%2 == 0 { // the label cells are shaded
				d.pdf.SetFillColor(242, 242, 242)
				d.pdf.Rect(x, d.y, w, h, "F")
			}
			x += w
		}
		d.row(ws, cols, cells, st, false)
	}
}
