package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkXML reads one part of a workbook as a stream, before excelize reads
// it, and refuses it unless encoding/xml (which excelize uses) would read it
// to its end without an error: excelize stops silently at the first error
// of a part, so a part cut short or with a bad character would otherwise be
// imported in part. On the way it holds each part to the limits that bound
// what excelize keeps in memory: the length of one text (a cell, a shared
// string), of a name and an attribute, the depth of nesting, and (counted
// by element name) rows, cells per row and in all, and shared strings.
//
// It is deliberately stricter than XML in places where Excel and WPS never
// go (a DOCTYPE, an encoding other than UTF-8, two root elements).
func checkXML(r io.Reader, lim *xmlLimits, st *xmlStats) error {
	x := &xmlScanner{r: r, buf: make([]byte, 64<<10), lim: lim, st: st}
	return x.document()
}

// xmlLimits bound one part; a zero count limit means "not counted".
type xmlLimits struct {
	text    int // bytes of one text run, CDATA section or attribute value
	rows    int // <row> elements in every part checked with the same xmlStats
	columns int // <c> elements in one <row>
	cells   int // <c> elements in every part checked with the same xmlStats
	strings int // <si> elements (shared strings)
}

// xmlStats counts across parts.
type xmlStats struct {
	rows, cells int
}

// Errors of checkXML: errXMLLimit (wrapped with what) means too large;
// anything else means damaged.
var (
	errXMLLimit = errors.New("over a limit")
	errTooDeep  = fmt.Errorf("%w: elements nested more than %d deep", errXMLLimit, maxXMLDepth)
)

const (
	maxXMLDepth = 64
	maxXMLName  = 256
)

type xmlScanner struct {
	r    io.Reader
	buf  []byte // read ahead: buf[i:n] is not scanned yet
	i, n int
	rerr error  // the reader's error, once buf is used up
	nbuf []byte // the last name read
	elem []byte // the element name of the start tag being read
	lim  *xmlLimits
	st   *xmlStats
	off  int64  // bytes read, for messages
	tags []byte // the names of the open elements, one after another
	ends []int  // where each ends in tags
	cols int    // <c> in the current row
	sis  int
	root bool // the root element was seen (and may be closed)
}

func (x *xmlScanner) bad(format string, a ...any) error {
	return fmt.Errorf("byte %d: "+format, append([]any{x.off + int64(x.i)}, a...)...)
}

// byte returns the next byte; the end of the part is io.ErrUnexpectedEOF
// (the part cannot end where byte is called).
func (x *xmlScanner) byte() (byte, error) {
	if x.i < x.n {
		c := x.buf[x.i]
		x.i++
		return c, nil
	}
	return x.slowByte()
}

func (x *xmlScanner) slowByte() (byte, error) {
	if !x.fill() {
		if x.rerr == io.EOF {
			return 0, io.ErrUnexpectedEOF
		}
		return 0, x.rerr
	}
	c := x.buf[x.i]
	x.i++
	return c, nil
}

// fill reads more into buf; false at the end (or an error) of the part.
func (x *xmlScanner) fill() bool {
	x.off += int64(x.n)
	x.i, x.n = 0, 0
	for x.rerr == nil && x.n == 0 {
		x.n, x.rerr = x.r.Read(x.buf)
	}
	return x.n > 0
}

// peek returns the next byte without taking it; ok is false at the end.
func (x *xmlScanner) peek() (byte, bool) {
	if x.i < x.n || x.fill() {
		return x.buf[x.i], true
	}
	return 0, false
}

// document: an optional BOM, then prolog, one root element, and only
// white space, comments and processing instructions around it.
func (x *xmlScanner) document() error {
	x.fill()
	if x.n >= 3 && bytes.Equal(x.buf[:3], []byte{0xEF, 0xBB, 0xBF}) {
		x.i = 3
	}
	for {
		if _, ok := x.peek(); !ok {
			if x.rerr != io.EOF {
				return x.rerr
			}
			if !x.root || len(x.ends) > 0 {
				return x.bad("the part ends before its last element is closed")
			}
			return nil
		}
		c := x.buf[x.i]
		x.i++
		switch {
		case c == '<':
			if err := x.markup(); err != nil {
				return err
			}
		case len(x.ends) > 0:
			if err := x.text(c); err != nil {
				return err
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		default:
			return x.bad("text outside the root element")
		}
	}
}

// text reads character data starting with c, up to (not including) the
// next '<'.
func (x *xmlScanner) text(c byte) error {
	x.i-- // c is swept again below
	n, brackets := 0, 0
	for {
		// Plain text, the bulk of a sheet, in one sweep of the buffer.
		if k := x.sweep(']', '>'); k > 0 {
			n, brackets = n+k, 0
		}
		if n > x.lim.text {
			return fmt.Errorf("%w: a text of more than %d KB", errXMLLimit, x.lim.text>>10)
		}
		c, ok := x.peek()
		if !ok || c == '<' {
			return nil
		}
		x.i++
		n++
		// "]]>" may only end a CDATA section.
		switch {
		case c == ']':
			brackets++
			continue
		case c == '>' && brackets >= 2:
			return x.bad("]]> outside a CDATA section")
		}
		brackets = 0
		switch {
		case c == '&':
			k, err := x.entity()
			if err != nil {
				return err
			}
			n += k
		case c >= 0x80:
			k, err := x.utf8(c)
			if err != nil {
				return err
			}
			n += k
		case !xmlChar(rune(c)):
			return x.bad("character %#x is not allowed in XML", c)
		}
	}
}

// sweep takes the plain characters at the start of the buffer (printable
// ASCII but '<', '&', stop and stop2; whole, valid, allowed UTF-8
// characters), and returns how many bytes it took. What it stops at is for
// the caller.
func (x *xmlScanner) sweep(stop, stop2 byte) int {
	j, buf := x.i, x.buf[:x.n]
	for j < len(buf) {
		b := buf[j]
		if b >= 0x20 && b < 0x80 {
			if b == '<' || b == '&' || b == stop || b == stop2 {
				break
			}
			j++
			continue
		}
		if b < 0x80 {
			if b != '\t' && b != '\n' && b != '\r' {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRune(buf[j:])
		if r == utf8.RuneError || !xmlChar(r) {
			break // invalid, or cut at the end of the buffer: the slow path decides
		}
		j += size
	}
	k := j - x.i
	x.i = j
	return k
}

// utf8 reads the rest of a multi-byte character starting with c and checks
// it; it returns the bytes read after c.
func (x *xmlScanner) utf8(c byte) (int, error) {
	var buf [4]byte
	buf[0] = c
	n := 1
	for ; n < 4 && !utf8.FullRune(buf[:n]); n++ {
		b, err := x.byte()
		if err != nil {
			return 0, err
		}
		buf[n] = b
	}
	r, size := utf8.DecodeRune(buf[:n])
	if r == utf8.RuneError || size != n || !xmlChar(r) {
		return 0, x.bad("invalid UTF-8 or a character not allowed in XML")
	}
	return n - 1, nil
}

// xmlChar is XML 1.0's Char production, as encoding/xml checks it.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// entity reads a reference after '&' up to ';': a predefined entity or a
// character reference to an allowed character (encoding/xml, strict, as
// excelize uses it, accepts no other).
func (x *xmlScanner) entity() (int, error) {
	var buf [10]byte
	k := 0
	for {
		c, err := x.byte()
		if err != nil {
			return 0, err
		}
		if c == ';' {
			break
		}
		if k == len(buf) {
			return 0, x.bad("an unknown entity")
		}
		buf[k] = c
		k++
	}
	name := buf[:k]
	switch string(name) {
	case "lt", "gt", "amp", "apos", "quot":
		return len(name) + 1, nil
	default:
		s := name
		var v uint64
		ok := len(s) > 1 && s[0] == '#'
		if ok && (s[1] == 'x') {
			ok = len(s) > 2
			for _, d := range s[2:] {
				switch {
				case d >= '0' && d <= '9':
					v = v<<4 | uint64(d-'0')
				case d >= 'a' && d <= 'f', d >= 'A' && d <= 'F':
					v = v<<4 | uint64(d|0x20-'a'+10)
				default:
					ok = false
				}
			}
		} else if ok {
			for _, d := range s[1:] {
				if d < '0' || d > '9' {
					ok = false
				}
				v = v*10 + uint64(d-'0')
			}
		}
		if !ok || v > unicode.MaxRune || !xmlChar(rune(v)) {
			return 0, x.bad("entity &%s; is not allowed", string(s))
		}
		return len(name) + 1, nil
	}
}

// markup reads what follows a '<'.
func (x *xmlScanner) markup() error {
	c, err := x.byte()
	if err != nil {
		return err
	}
	switch {
	case c == '/':
		return x.endTag()
	case c == '?':
		return x.instruction()
	case c == '!':
		return x.bang()
	}
	return x.startTag(c)
}

// name reads a name starting with c; it returns the byte after it.
func (x *xmlScanner) name(c byte, first bool) ([]byte, byte, error) {
	name := x.nbuf[:0]
	for {
		if c < 0x80 && isNameByte(c, first) {
			// The rest of an ASCII name, in one sweep of the buffer.
			name = append(name, c)
			j := x.i
			for j < x.n && x.buf[j] < 0x80 && isNameByte(x.buf[j], false) {
				j++
			}
			name = append(name, x.buf[x.i:j]...)
			x.i = j
			first = false
			if len(name) > maxXMLName {
				return nil, 0, fmt.Errorf("%w: a name of more than %d bytes", errXMLLimit, maxXMLName)
			}
			var err error
			if c, err = x.byte(); err != nil {
				return nil, 0, err
			}
			continue
		}
		if c >= 0x80 {
			// Excel and WPS name elements and attributes in ASCII; which
			// other letters encoding/xml takes is its own table.
			return nil, 0, x.bad("a name that is not ASCII")
		} else if isNameByte(c, first) {
			name = append(name, c)
		} else {
			if len(name) == 0 {
				return nil, 0, x.bad("a name is missing")
			}
			x.nbuf = name
			return name, c, nil
		}
		if len(name) > maxXMLName {
			return nil, 0, fmt.Errorf("%w: a name of more than %d bytes", errXMLLimit, maxXMLName)
		}
		first = false
		var err error
		if c, err = x.byte(); err != nil {
			return nil, 0, err
		}
	}
}

func isNameByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' ||
		(!first && (c >= '0' && c <= '9' || c == '.' || c == '-'))
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the first byte that is not white space, starting at c.
func (x *xmlScanner) skipSpace(c byte) (byte, error) {
	var err error
	for isSpace(c) {
		if c, err = x.byte(); err != nil {
			return 0, err
		}
	}
	return c, nil
}

func (x *xmlScanner) startTag(c byte) error {
	if len(x.ends) == 0 && x.root {
		return x.bad("a second root element")
	}
	n, c, err := x.name(c, true)
	if err != nil {
		return err
	}
	x.elem = append(x.elem[:0], n...) // attribute names reuse nbuf
	name := x.elem
	if err := x.count(name); err != nil {
		return err
	}
	for {
		sp := isSpace(c)
		if c, err = x.skipSpace(c); err != nil {
			return err
		}
		switch {
		case c == '>':
			return x.push(name)
		case c == '/':
			if c, err = x.byte(); err != nil {
				return err
			}
			if c != '>' {
				return x.bad("'/' not followed by '>'")
			}
			x.root = true
			return nil
		case !sp:
			return x.bad("attributes must be separated by white space")
		}
		if c, err = x.attribute(c); err != nil {
			return err
		}
	}
}

// attribute reads name="value" starting at c and returns the byte after it.
func (x *xmlScanner) attribute(c byte) (byte, error) {
	_, c, err := x.name(c, true)
	if err != nil {
		return 0, err
	}
	if c, err = x.skipSpace(c); err != nil {
		return 0, err
	}
	if c != '=' {
		return 0, x.bad("an attribute without a value")
	}
	if c, err = x.byte(); err != nil {
		return 0, err
	}
	if c, err = x.skipSpace(c); err != nil {
		return 0, err
	}
	if c != '"' && c != '\'' {
		return 0, x.bad("an attribute value without quotes")
	}
	quote, n := c, 0
	for {
		if n += x.sweep(quote, 0); n > x.lim.text {
			return 0, fmt.Errorf("%w: an attribute of more than %d KB", errXMLLimit, x.lim.text>>10)
		}
		if c, err = x.byte(); err != nil {
			return 0, err
		}
		if c == quote {
			break
		}
		if n++; n > x.lim.text {
			return 0, fmt.Errorf("%w: an attribute of more than %d KB", errXMLLimit, x.lim.text>>10)
		}
		switch {
		case c == '<':
			return 0, x.bad("'<' in an attribute value")
		case c == '&':
			k, err := x.entity()
			if err != nil {
				return 0, err
			}
			n += k
		case c >= 0x80:
			k, err := x.utf8(c)
			if err != nil {
				return 0, err
			}
			n += k
		case !xmlChar(rune(c)):
			return 0, x.bad("character %#x is not allowed in XML", c)
		}
	}
	return x.byte()
}

func (x *xmlScanner) push(name []byte) error {
	if len(x.ends) == maxXMLDepth {
		return errTooDeep
	}
	x.tags = append(x.tags, name...)
	x.ends = append(x.ends, len(x.tags))
	x.root = true
	return nil
}

func (x *xmlScanner) endTag() error {
	c, err := x.byte()
	if err != nil {
		return err
	}
	name, c, err := x.name(c, true)
	if err != nil {
		return err
	}
	if c, err = x.skipSpace(c); err != nil {
		return err
	}
	if c != '>' {
		return x.bad("a bad end tag")
	}
	if len(x.ends) == 0 {
		return x.bad("end tag </%s> without a start", clipRunes(string(name), 20))
	}
	start := 0
	if len(x.ends) > 1 {
		start = x.ends[len(x.ends)-2]
	}
	if !bytes.Equal(x.tags[start:], name) {
		return x.bad("end tag </%s> does not match", clipRunes(string(name), 20))
	}
	x.tags, x.ends = x.tags[:start], x.ends[:len(x.ends)-1]
	return nil
}

// count counts the rows, cells and shared strings a start tag opens.
func (x *xmlScanner) count(name []byte) error {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	switch string(name) {
	case "row":
		x.st.rows++
		x.cols = 0
		if x.lim.rows > 0 && x.st.rows > x.lim.rows {
			return fmt.Errorf("%w: more than %d rows in the sheets together", errTooManyRowsXML, x.lim.rows)
		}
	case "c":
		x.cols++
		x.st.cells++
		if x.lim.columns > 0 && x.cols > x.lim.columns {
			return fmt.Errorf("%w: a row of more than %d cells", errXMLLimit, x.lim.columns)
		}
		if x.lim.cells > 0 && x.st.cells > x.lim.cells {
			return fmt.Errorf("%w: more than %d cells in all", errXMLLimit, x.lim.cells)
		}
	case "si":
		x.sis++
		if x.lim.strings > 0 && x.sis > x.lim.strings {
			return fmt.Errorf("%w: more than %d shared strings", errXMLLimit, x.lim.strings)
		}
	}
	return nil
}

// errTooManyRowsXML is the row limit, which has its own error for callers.
var errTooManyRowsXML = errors.New("too many rows")

// instruction reads <?target ...?>; the XML declaration must be version
// 1.0 and say UTF-8 if it names an encoding.
func (x *xmlScanner) instruction() error {
	c, err := x.byte()
	if err != nil {
		return err
	}
	name, c, err := x.name(c, true)
	if err != nil {
		return err
	}
	target := string(name)
	if c != '?' && !isSpace(c) {
		return x.bad("a bad processing instruction")
	}
	var body []byte
	for {
		if c == '>' && len(body) > 0 && body[len(body)-1] == '?' {
			break
		}
		if len(body) == 1024 {
			return x.bad("a processing instruction too long")
		}
		if c >= 0x80 {
			if _, err := x.utf8(c); err != nil {
				return err
			}
		} else if !xmlChar(rune(c)) {
			return x.bad("character %#x is not allowed in XML", c)
		}
		body = append(body, c)
		if c, err = x.byte(); err != nil {
			return err
		}
	}
	if strings.EqualFold(target, "xml") {
		if target != "xml" {
			return x.bad("a bad XML declaration")
		}
		body = body[:len(body)-1]
		if v, ok := pseudoAttr(body, "version"); ok && v != "1.0" {
			return x.bad("XML version %q", clipRunes(v, 10))
		}
		if e, ok := pseudoAttr(body, "encoding"); ok && !strings.EqualFold(e, "utf-8") && !strings.EqualFold(e, "utf8") {
			return fmt.Errorf("a part is not in UTF-8 but %q (open the file in Excel or WPS and save it as .xlsx again)", clipRunes(e, 20))
		}
	}
	return nil
}

// pseudoAttr reads name="value" from an XML declaration, as encoding/xml
// does (procInst).
func pseudoAttr(body []byte, name string) (string, bool) {
	s := string(body)
	i := strings.Index(s, name+"=")
	if i < 0 {
		return "", false
	}
	s = s[i+len(name)+1:]
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return "", true
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", true
	}
	return s[1 : 1+end], true
}

// bang reads a comment or a CDATA section; a DOCTYPE is refused.
func (x *xmlScanner) bang() error {
	var b [7]byte
	for i := range b {
		c, err := x.byte()
		if err != nil {
			return err
		}
		b[i] = c
		if i == 1 && b[0] == '-' && b[1] == '-' {
			return x.comment()
		}
	}
	if string(b[:]) != "[CDATA[" {
		return x.bad("a DOCTYPE or other declaration")
	}
	if len(x.ends) == 0 {
		return x.bad("CDATA outside the root element")
	}
	return x.cdata()
}

func (x *xmlScanner) comment() error {
	var p1, p2 byte
	for {
		c, err := x.byte()
		if err != nil {
			return err
		}
		if p1 == '-' && p2 == '-' {
			if c != '>' {
				return x.bad("'--' inside a comment")
			}
			return nil
		}
		if c >= 0x80 {
			if _, err := x.utf8(c); err != nil {
				return err
			}
		} else if !xmlChar(rune(c)) {
			return x.bad("character %#x is not allowed in XML", c)
		}
		p1, p2 = p2, c
	}
}

func (x *xmlScanner) cdata() error {
	var p1, p2 byte
	n := 0
	for {
		c, err := x.byte()
		if err != nil {
			return err
		}
		if c == '>' && p1 == ']' && p2 == ']' {
			return nil
		}
		if n++; n > x.lim.text {
			return fmt.Errorf("%w: a text of more than %d KB", errXMLLimit, x.lim.text>>10)
		}
		if c >= 0x80 {
			k, err := x.utf8(c)
			if err != nil {
				return err
			}
			n += k
		} else if !xmlChar(rune(c)) {
			return x.bad("character %#x is not allowed in XML", c)
		}
		p1, p2 = p2, c
	}
}
