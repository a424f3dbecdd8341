-- Convenience views for analysts; created in every published news.duckdb.
CREATE VIEW figures_readable AS
SELECT
    f.figure_id,
    a.publisher,
    a.published_at,
    a.title,
    f.text,
    f.value,
    f.value_low,
    f.value_high,
    f.qualifier,
    f.category,
    f.counted,
    g.name AS group_name,
    l.name AS location_name,
    f.attributed_to,
    s.text AS sentence,
    f.article_id
FROM figures f
JOIN articles a USING (article_id)
LEFT JOIN entities g ON g.entity_id = f.group_entity_id
LEFT JOIN entities l ON l.entity_id = f.location_entity_id
LEFT JOIN sentences s ON s.article_id = f.article_id AND s.sentence_idx = f.sentence_idx;
