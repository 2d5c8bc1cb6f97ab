package tenant

import (
	"io/fs"
)

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // only on a wrong literal folder name: a programming error
	}
	return sub
}
