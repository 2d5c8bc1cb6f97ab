package directory

// Remembered gives entries built by a test one store's memos, as the
// store gives those it lists.
func Remembered(list []*Entry) []*Entry {
	m := newMemos()
	for _, e := range list {
		e.memo = m
	}
	return list
}
