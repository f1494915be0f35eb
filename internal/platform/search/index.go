package search

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"fazhi/internal/platform/db"
)

// Index stores (or replaces) the searchable text of one record, identified by
// kind (e.g. "normdoc") and refID. Call it in the same transaction as the
// write that changed the text.
func Index(ctx context.Context, q db.Querier, kind string, refID int64, texts ...string) error {
	tokens := strings.Join(Tokens(strings.Join(texts, "\n")), " ")
	if q.Dialect() == db.Postgres {
		_, err := q.Exec(ctx, `INSERT INTO search_entries (kind, ref_id, tokens, tsv) VALUES (?, ?, ?, to_tsvector('simple', ?))
			ON CONFLICT (kind, ref_id) DO UPDATE SET tokens = EXCLUDED.tokens, tsv = EXCLUDED.tsv`, kind, refID, tokens, tokens)
		return err
	}
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM search_entries WHERE kind = ? AND ref_id = ?", kind, refID).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := q.QueryRow(ctx, "INSERT INTO search_entries (kind, ref_id) VALUES (?, ?) RETURNING id", kind, refID).Scan(&id); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if _, err := q.Exec(ctx, "DELETE FROM search_fts WHERE rowid = ?", id); err != nil {
			return err
		}
	}
	_, err = q.Exec(ctx, "INSERT INTO search_fts (rowid, tokens) VALUES (?, ?)", id, tokens)
	return err
}

// Remove drops the record from the index (nothing happens when it is absent).
func Remove(ctx context.Context, q db.Querier, kind string, refID int64) error {
	if q.Dialect() == db.SQLite {
		if _, err := q.Exec(ctx, "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_entries WHERE kind = ? AND ref_id = ?)", kind, refID); err != nil {
			return err
		}
	}
	_, err := q.Exec(ctx, "DELETE FROM search_entries WHERE kind = ? AND ref_id = ?", kind, refID)
	return err
}

// Join returns a JOIN clause that keeps only the rows of refColumn's table
// matching query among records of kind, exposing the relevance as
// <alias>.score (higher is better), and its arguments. Put it right after
// the FROM table, so its '?' arguments come before those of WHERE:
//
//	join, jargs := search.Join(d, "normdoc", q, "d.id", "fts")
//	SELECT … FROM normdoc_documents d <join> WHERE … ORDER BY fts.score DESC
func Join(d db.Dialect, kind string, query Query, refColumn, alias string) (string, []any) {
	if d == db.Postgres {
		ts := query.tsquery()
		return " JOIN (SELECT ref_id, ts_rank(tsv, to_tsquery('simple', ?)) AS score FROM search_entries" +
				" WHERE kind = ? AND tsv @@ to_tsquery('simple', ?)) " + alias + " ON " + alias + ".ref_id = " + refColumn + " ",
			[]any{ts, kind, ts}
	}
	return " JOIN (SELECT e.ref_id AS ref_id, -bm25(search_fts) AS score FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid" +
			" WHERE search_fts MATCH ? AND e.kind = ?) " + alias + " ON " + alias + ".ref_id = " + refColumn + " ",
		[]any{query.fts5(), kind}
}

// Hit is one search result.
type Hit struct {
	RefID int64
	Score float64
}

// Search returns up to limit records of kind matching query, best first.
// An empty query finds nothing.
func Search(ctx context.Context, q db.Querier, kind, query string, limit int) ([]Hit, error) {
	pq := Parse(query)
	if pq.Empty() {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	join, args := Join(q.Dialect(), kind, pq, "x.ref_id", "fts")
	rows, err := q.Query(ctx, "SELECT x.ref_id, fts.score FROM search_entries x"+join+
		"WHERE x.kind = ? ORDER BY fts.score DESC, x.ref_id LIMIT ?", append(args, kind, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.RefID, &h.Score); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
