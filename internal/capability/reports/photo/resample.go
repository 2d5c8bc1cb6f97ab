package photo

import "math"

// taps are the source pixels one destination pixel is made of, from
// first on, and their weights, which add up to 1.
type taps struct {
	first int
	w     []float32
}

// catmullRom is the Catmull-Rom cubic (Mitchell–Netravali with B = 0,
// C = 1/2), nought from 2 on: sharp without the ringing of Lanczos.
func catmullRom(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t < 1:
		return (1.5*t-2.5)*t*t + 1
	case t < 2:
		return ((-0.5*t+2.5)*t-4)*t + 2
	}
	return 0
}

// weights returns, for each of dn destination pixels along one axis, the
// taps of the sn source pixels it is made of. Scaling down widens the
// kernel by the ratio, so that every source pixel counts; at the edges the
// taps that fall outside are dropped and the rest weighed up to 1.
func weights(dn, sn int) []taps {
	scale := float64(sn) / float64(dn)
	stretch := max(scale, 1)
	radius := 2 * stretch
	out := make([]taps, dn)
	all := make([]float32, 0, dn*(int(2*radius)+1))
	for i := range dn {
		c := (float64(i)+0.5)*scale - 0.5 // the destination pixel's centre, in source pixels
		lo := max(0, int(math.Floor(c-radius))+1)
		hi := min(sn-1, int(math.Ceil(c+radius))-1)
		start := len(all)
		var total float32
		for j := lo; j <= hi; j++ {
			w := float32(catmullRom((float64(j) - c) / stretch))
			all = append(all, w)
			total += w
		}
		for k := start; k < len(all); k++ {
			all[k] /= total
		}
		out[i] = taps{lo, all[start:len(all):len(all)]}
	}
	return out
}

// resample fills dst with src scaled with Catmull-Rom, both with the same
// channels. It filters down the columns into one row of floats, then
// along that row, one destination row at a time: it keeps a single row of
// the source's width, where a two-pass scaler keeps a whole intermediate
// image (x/image/draw's: 32 bytes a pixel, 200 MB for a phone's photo).
func resample(dst, src plane) {
	xs := weights(dst.w, src.w)
	row := make([]float32, src.w*src.ch)
	for dy, t := range weights(dst.h, src.h) {
		down(row, src, t)
		across(dst.row(dy), row, xs, src.ch)
	}
}

// down fills row with the source rows t weighs, summed.
func down(row []float32, src plane, t taps) {
	clear(row)
	for i, w := range t.w {
		s := src.row(t.first + i)
		r := row[:len(s)]
		for x, v := range s {
			r[x] += w * float32(v)
		}
	}
}

// across fills d, a destination row of ch channels, with row filtered
// along by xs.
func across(d []byte, row []float32, xs []taps, ch int) {
	if ch == 1 {
		for dx, t := range xs {
			r := row[t.first:][:len(t.w)]
			var sum float32
			for i, w := range t.w {
				sum += w * r[i]
			}
			d[dx] = clamp8(sum)
		}
		return
	}
	for dx, t := range xs {
		r := row[t.first*ch:][:len(t.w)*ch]
		for c := range ch {
			var sum float32
			for i, w := range t.w {
				sum += w * r[i*ch+c]
			}
			d[dx*ch+c] = clamp8(sum)
		}
	}
}

// clamp8 rounds v to a byte: Catmull-Rom's negative lobes overshoot
// across edges.
func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
