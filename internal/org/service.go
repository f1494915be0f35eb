package org

import "fazhi/internal/platform/db"

// Service holds every rule of the org module.
type Service struct {
	db    *db.DB
	store Store
}

// NewService returns the org service on d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// DB exposes the database (for the session middleware).
func (s *Service) DB() *db.DB { return s.db }
