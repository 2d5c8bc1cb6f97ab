package web

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxDataKey bounds the encoding of a page's data: a page whose data is
// larger is rendered each time rather than kept with so long a key.
const maxDataKey = 256 << 10

// maxDataDepth bounds how deep the encoding follows pointers and values,
// which also stops it on a cycle.
const maxDataDepth = 48

// appendData appends to b an encoding of v that two values share only if
// a template reads the same from both: every field, exported or not (a
// method may read it), every element, map entries in key order, what
// pointers and interfaces hold, the dynamic type of every interface, times
// as their instant and zone. It reports false, and the page is then
// rendered each time, when v holds a function, a channel or an unsafe
// pointer (what they give cannot be known), a time that cannot be read, or
// is larger than maxDataKey.
func appendData(b []byte, v any) ([]byte, bool) {
	e := dataEncoder{b: b, shares: true}
	ok := e.value(reflect.ValueOf(&v).Elem(), 0)
	return e.b, ok && len(e.b) <= maxDataKey
}

// dataEncoder appends encodings to b. With shares, a pointer met again
// (the event of every date of a list) is written as the number of its
// first meeting, in the order of the encoding, which must then not depend
// on the order of a map's iteration.
type dataEncoder struct {
	b      []byte
	shares bool
	met    []metPointer
}

type metPointer struct {
	at  uintptr
	typ reflect.Type
}

var timeType = reflect.TypeFor[time.Time]()

func (e *dataEncoder) value(v reflect.Value, depth int) bool {
	if depth > maxDataDepth || len(e.b) > maxDataKey {
		return false
	}
	switch v.Kind() {
	case reflect.Bool:
		e.b = append(e.b, boolByte(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.b = binary.AppendVarint(e.b, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.b = binary.AppendUvarint(e.b, v.Uint())
	case reflect.Float32, reflect.Float64:
		e.b = binary.AppendUvarint(e.b, math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		e.b = binary.AppendUvarint(binary.AppendUvarint(e.b, math.Float64bits(real(c))), math.Float64bits(imag(c)))
	case reflect.String:
		e.str(v.String())
	case reflect.Slice:
		e.b = append(e.b, boolByte(v.IsNil()))
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.str(string(v.Bytes()))
			return true
		}
		return e.elems(v, depth)
	case reflect.Array:
		return e.elems(v, depth)
	case reflect.Pointer:
		if v.IsNil() {
			e.b = append(e.b, 1)
			return true
		}
		if e.shares {
			p := metPointer{v.Pointer(), v.Type()}
			if i := slices.Index(e.met, p); i >= 0 {
				e.b = binary.AppendUvarint(append(e.b, 2), uint64(i))
				return true
			}
			e.met = append(e.met, p)
		}
		e.b = append(e.b, 0)
		return e.value(v.Elem(), depth+1)
	case reflect.Interface:
		e.b = append(e.b, boolByte(v.IsNil()))
		if v.IsNil() {
			return true
		}
		e.b = binary.AppendUvarint(e.b, typeID(v.Elem().Type()))
		return e.value(v.Elem(), depth+1)
	case reflect.Map:
		return e.mapEntries(v, depth)
	case reflect.Struct:
		if v.Type() == timeType {
			return e.time(v)
		}
		for i := range v.NumField() {
			if !e.value(v.Field(i), depth+1) {
				return false
			}
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		e.b = append(e.b, boolByte(v.IsNil()))
		return v.IsNil()
	default:
		return false
	}
	return true
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func (e *dataEncoder) str(s string) {
	e.b = append(binary.AppendUvarint(e.b, uint64(len(s))), s...)
}

func (e *dataEncoder) elems(v reflect.Value, depth int) bool {
	e.b = binary.AppendUvarint(e.b, uint64(v.Len()))
	for i := range v.Len() {
		if !e.value(v.Index(i), depth+1) {
			return false
		}
	}
	return true
}

// time writes the instant and the zone: what formatting reads.
func (e *dataEncoder) time(v reflect.Value) bool {
	var t time.Time
	switch {
	case !v.CanInterface():
		return false
	case v.CanAddr(): // a pointer boxes without a copy
		t = *v.Addr().Interface().(*time.Time)
	default:
		t = v.Interface().(time.Time)
	}
	e.b = binary.AppendVarint(e.b, t.Unix())
	e.b = binary.AppendUvarint(e.b, uint64(t.Nanosecond()))
	name, offset := t.Zone()
	e.str(t.Location().String())
	e.str(name)
	e.b = binary.AppendVarint(e.b, int64(offset))
	return true
}

// mapEntries writes the entries sorted by their keys' encodings, which
// delimit themselves, so that the order of iteration does not count.
func (e *dataEncoder) mapEntries(v reflect.Value, depth int) bool {
	e.b = append(e.b, boolByte(v.IsNil()))
	e.b = binary.AppendUvarint(e.b, uint64(v.Len()))
	if v.Len() == 0 {
		return true
	}
	if e.shares && mayShare(v.Type().Elem()) {
		return e.sharingEntries(v, depth)
	}
	return e.plainEntries(v, depth)
}

// sharingEntries sorts the keys first and then writes each value in that
// order, so that pointers met in the values are numbered the same way
// whatever the order of iteration.
func (e *dataEncoder) sharingEntries(v reflect.Value, depth int) bool {
	type entry struct {
		key string
		val reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		var k dataEncoder
		if !k.value(it.Key(), depth+1) {
			return false
		}
		entries = append(entries, entry{string(k.b), it.Value()})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	for _, en := range entries {
		e.b = append(e.b, en.key...)
		if !e.value(en.val, depth+1) {
			return false
		}
	}
	return true
}

// plainEntries encodes each entry apart in one pooled buffer, then copies
// them in order: for values that hold no pointer to share.
func (e *dataEncoder) plainEntries(v reflect.Value, depth int) bool {
	type span struct{ start, keyEnd, end int }
	spans := make([]span, 0, v.Len())
	buf := subBuffers.Get().(*[]byte)
	sub := dataEncoder{b: (*buf)[:0]}
	defer func() { *buf = sub.b[:0]; subBuffers.Put(buf) }()
	add := func(k, val reflect.Value) bool {
		start := len(sub.b)
		if !sub.value(k, depth+1) {
			return false
		}
		keyEnd := len(sub.b)
		if !sub.value(val, depth+1) {
			return false
		}
		spans = append(spans, span{start, keyEnd, len(sub.b)})
		return true
	}
	it := v.MapRange()
	if v.CanInterface() { // reuse one key and one value rather than copy each
		k, val := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		for it.Next() {
			k.SetIterKey(it)
			val.SetIterValue(it)
			if !add(k, val) {
				return false
			}
		}
	} else {
		for it.Next() {
			if !add(it.Key(), it.Value()) {
				return false
			}
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return bytes.Compare(sub.b[a.start:a.keyEnd], sub.b[b.start:b.keyEnd]) })
	for _, s := range spans {
		e.b = append(e.b, sub.b[s.start:s.end]...)
	}
	return len(e.b) <= maxDataKey
}

// mayShare reports whether values of t may hold a pointer, which an
// encoder that shares writes once.
func mayShare(t reflect.Type) bool {
	if v, ok := sharing.Load(t); ok {
		return v.(bool)
	}
	share := holdsPointer(t, map[reflect.Type]bool{})
	sharing.Store(t, share)
	return share
}

var sharing sync.Map // reflect.Type → bool

func holdsPointer(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		return true
	case reflect.Array, reflect.Slice:
		return holdsPointer(t.Elem(), seen)
	case reflect.Map:
		return holdsPointer(t.Key(), seen) || holdsPointer(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsPointer(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// subBuffers hold maps' entries while they are sorted.
var subBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// typeIDs numbers the dynamic types met in interfaces, once per process.
var (
	typeIDs  sync.Map // reflect.Type → uint64
	lastType atomic.Uint64
)

func typeID(t reflect.Type) uint64 {
	if id, ok := typeIDs.Load(t); ok {
		return id.(uint64)
	}
	id, _ := typeIDs.LoadOrStore(t, lastType.Add(1))
	return id.(uint64)
}
