package app

import "context"

// wire builds every module's Service in dependency order and registers its
// routes, seeders and background work. Keep it a flat, readable list.
func (a *App) wire(ctx context.Context) error {
	return nil
}
