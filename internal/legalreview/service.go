// Package legalreview runs 合法性审查: review requests for decision drafts,
// normative document drafts, contracts and policy measures, through review
// chains, with conclusions, opinion letters and adoption records.
package legalreview

import (
	"context"

	"fazhi/internal/platform/apperr"
)

// Service is what handlers, other modules and jobs call.
type Service struct{}

// Open creates a review request linked to its subject.
func (s *Service) Open(ctx context.Context, in OpenInput) (*Review, error) {
	return nil, apperr.New(apperr.Unavailable, "合法性审查服务尚未就绪")
}

// Outcome returns the latest review outcome for a subject.
func (s *Service) Outcome(ctx context.Context, subjectType string, subjectID int64) (Outcome, error) {
	return Outcome{Status: OutcomeNone}, nil
}
