package kernel

import (
	"context"
	"time"

	"guichet/internal/kernel/applications"
)

// SetApplications registers the law of urban-planning applications (the
// capability that knows the territory).
func (k *Kernel) SetApplications(l applications.Law) { k.applications = l }

// Applications returns the law of applications, nil when no installed
// capability knows it.
func (k *Kernel) Applications() applications.Law { return k.applications }

// SetApplicationStarts registers who lists the procedures taking an
// application for a parcel (the procedures).
func (k *Kernel) SetApplicationStarts(f applications.Starts) { k.starts = f }

// StartsFor lists the procedures a resident may start for a parcel (none
// when no capability offers any).
func (k *Kernel) StartsFor(ctx context.Context, tenantID, parcel string) ([]applications.Start, error) {
	if k.starts == nil {
		return nil, nil
	}
	return k.starts(ctx, tenantID, parcel)
}

// SetApplicationRegister registers who lists the applications for the
// public register (the procedures).
func (k *Kernel) SetApplicationRegister(r applications.Register) { k.register = r }

// ApplicationRegister lists a collectivité's applications for the
// public register (none when no capability takes applications).
func (k *Kernel) ApplicationRegister(ctx context.Context, tenantID string, since time.Time) ([]applications.Filing, error) {
	if k.register == nil {
		return nil, nil
	}
	return k.register(ctx, tenantID, since)
}
