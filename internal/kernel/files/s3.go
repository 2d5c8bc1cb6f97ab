package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Backend keeps the bodies in one bucket of an S3-compatible object
// store (Garage, SeaweedFS, MinIO, a hosting company's), each Guichet
// bucket under its own prefix.
type S3Backend struct {
	client *minio.Client
	bucket string
	url    string
}

// OpenS3 reads "s3://BUCKET?endpoint=HOST:PORT[&region=…][&insecure=1]".
// The keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as for
// every S3 tool, rather than from a URL that ends up in process lists.
func OpenS3(raw string) (*S3Backend, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("files: S3 store %q: want s3://bucket?endpoint=host:port", raw)
	}
	q := u.Query()
	endpoint := q.Get("endpoint")
	if endpoint == "" {
		return nil, fmt.Errorf("files: S3 store %q has no endpoint=host:port", raw)
	}
	insecure, _ := strconv.ParseBool(q.Get("insecure"))
	client, err := minio.New(endpoint, &minio.Options{Creds: credentials.NewEnvAWS(), Secure: !insecure,
		Region: q.Get("region"), BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return nil, fmt.Errorf("files: S3 store: %w", err)
	}
	return &S3Backend{client: client, bucket: u.Host, url: "s3://" + u.Host + "?endpoint=" + endpoint}, nil
}

// Bucket returns the objects under name/.
func (b *S3Backend) Bucket(name string) (Storage, error) {
	if err := checkBucket(name); err != nil {
		return nil, err
	}
	return &S3{b: b, prefix: name + "/"}, nil
}

func (b *S3Backend) String() string { return b.url }

// EnsureBucket creates the object store's bucket when it is missing.
func (b *S3Backend) EnsureBucket(ctx context.Context) error {
	ok, err := b.client.BucketExists(ctx, b.bucket)
	if err != nil {
		return fmt.Errorf("files: S3 bucket %s: %w", b.bucket, err)
	}
	if ok {
		return nil
	}
	if err := b.client.MakeBucket(ctx, b.bucket, minio.MakeBucketOptions{}); err != nil {
		return fmt.Errorf("files: create S3 bucket %s: %w", b.bucket, err)
	}
	return nil
}

// S3 is one Guichet bucket in the object store.
type S3 struct {
	b      *S3Backend
	prefix string
}

// Put sends r's bytes under key. They are read whole first: a known size
// lets the client send one request instead of buffering multipart parts.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if !safeKey.MatchString(key) {
		return 0, fmt.Errorf("files: invalid key %q", key)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return 0, fmt.Errorf("files: read %s: %w", key, err)
	}
	_, err = s.b.client.PutObject(ctx, s.b.bucket, s.prefix+key, bytes.NewReader(body), int64(len(body)),
		minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return 0, fmt.Errorf("files: write %s: %w", key, err)
	}
	return int64(len(body)), nil
}

// Open returns the body under key; a missing key is ErrNotFound at once,
// not at the first read.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.b.client.GetObject(ctx, s.b.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err == nil {
		_, err = obj.Stat()
	}
	if err != nil {
		if obj != nil {
			obj.Close()
		}
		return nil, s.err(key, err)
	}
	return obj, nil
}

// Size returns the length of the body under key.
func (s *S3) Size(ctx context.Context, key string) (int64, error) {
	info, err := s.b.client.StatObject(ctx, s.b.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		return 0, s.err(key, err)
	}
	return info.Size, nil
}

// Delete removes key; a missing key is not an error (S3 says so too).
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := s.b.client.RemoveObject(ctx, s.b.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

// Keys lists the bucket's keys in the store's order (lexical).
func (s *S3) Keys(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // stops the listing when the caller stops early
		for obj := range s.b.client.ListObjects(ctx, s.b.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
			if obj.Err != nil {
				yield("", fmt.Errorf("files: list: %w", obj.Err))
				return
			}
			if !yield(strings.TrimPrefix(obj.Key, s.prefix), nil) {
				return
			}
		}
	}
}

func (s *S3) err(key string, err error) error {
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return ErrNotFound
	}
	return fmt.Errorf("files: %s: %w", key, errors.Unwrap(err))
}
