using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace Fangkong.Cli.Bench;

/// <summary>What DuckDB took to answer the batch contract, and how Fangkong's file compared with its answer.</summary>
internal sealed record ContractBaselineResult(TimeSpan Load, TimeSpan Answer, long Close, long Secondary, ContractCheck Check)
{
    public TimeSpan Total => Load + Answer;
}

/// <summary>
/// Row-by-row comparison of a contract file with DuckDB's answer: the same people with the same tiers and
/// earliest exposure starts, and each row's case, via, venue and end one of the qualifying overlaps that
/// tie for that start (SPEC 4.2 names the earliest exposure, not a tie-break).
/// </summary>
internal sealed record ContractCheck(long Rows, long Missing, long Extra, long WrongStart, long NotQualifying)
{
    public bool Identical => Missing == 0 && Extra == 0 && WrongStart == 0 && NotQualifying == 0;
}

/// <summary>
/// SPEC 4.2 in DuckDB SQL over the same CSV files, as a data engineer would write it: the files read into
/// tables, each case's window from its dates, the cases' stays clipped to their windows hash-joined to every
/// stay at the same venue, manual exposures both ways, the earliest overlap per person; then the same from
/// the close contacts' stays clipped to [e, q) with cases and close contacts excluded. On a store without
/// control orders q is --as-of for every close contact (rule 3), as on the freshly imported benchmark set.
/// The deployment zone is Asia/Shanghai, a fixed UTC+08:00 since 1991.
/// </summary>
internal static class ContractBaseline
{
    private const long Offset = 8 * 3600;

    /// <param name="bucketSeconds">The venue joins' time buckets (a stay is joined in every bucket it touches; duplicates do not change an earliest overlap).</param>
    public static ContractBaselineResult Run(string dir, int windowDays, long minimumSeconds, long asOf, long bucketSeconds, string answerFile, string fangkongFile)
    {
        using var c = new DuckDBConnection("Data Source=:memory:");
        c.Open();
        var clock = Stopwatch.StartNew();
        string Csv(string kind) => ContractDataset.File(dir, kind).Replace("'", "''", StringComparison.Ordinal);
        DuckDbSql.Execute(c, $"""
            CREATE TABLE ck AS SELECT person_id AS p, venue_id AS v, epoch(check_in)::BIGINT AS ti, epoch(check_out)::BIGINT AS tout
            FROM read_csv('{Csv("checkins")}', header = true, columns = {"{"}'person_id': 'VARCHAR', 'venue_id': 'VARCHAR', 'check_in': 'TIMESTAMPTZ', 'check_out': 'TIMESTAMPTZ'{"}"});
            CREATE TABLE ex AS SELECT person_id AS a, other_person_id AS b, epoch("start")::BIGINT AS s, epoch("end")::BIGINT AS e
            FROM read_csv('{Csv("exposures")}', header = true, columns = {"{"}'person_id': 'VARCHAR', 'other_person_id': 'VARCHAR', 'setting': 'VARCHAR', 'start': 'TIMESTAMPTZ', 'end': 'TIMESTAMPTZ'{"}"});
            CREATE TABLE cs AS SELECT * FROM read_csv('{Csv("cases")}', header = true, columns = {"{"}'person_id': 'VARCHAR', 'classification': 'VARCHAR', 'onset_date': 'DATE', 'sampling_time': 'TIMESTAMPTZ', 'report_time': 'TIMESTAMPTZ', 'isolation_time': 'TIMESTAMPTZ'{"}"});
            """);
        var load = clock.Elapsed;
        clock.Restart();
        var m = minimumSeconds.ToString(CultureInfo.InvariantCulture);
        var a = asOf.ToString(CultureInfo.InvariantCulture);
        var n = (windowDays * 86400L).ToString(CultureInfo.InvariantCulture);
        var o = Offset.ToString(CultureInfo.InvariantCulture);
        var bucket = bucketSeconds.ToString(CultureInfo.InvariantCulture);
        // Every overlap of a close contact's stays and manual exposures over [e, q) with another person.
        var secondaryOverlaps = $"""
              SELECT o.p, s.idx, s.via, s.v, GREATEST(s.a, o.ti) AS st, LEAST(s.b, o.tout) AS en
                FROM (SELECT *, UNNEST(range(a // {bucket}, (b - 1) // {bucket} + 1)) AS d FROM src2) s JOIN ckb o ON o.v = s.v AND o.d = s.d
                WHERE LEAST(s.b, o.tout) - GREATEST(s.a, o.ti) >= {m}
              UNION ALL
              SELECT x.b, c.idx, c.p, NULL, GREATEST(x.s, c.st), LEAST(x.e, {a}) FROM ex x JOIN cl c ON x.a = c.p
                WHERE LEAST(x.e, {a}) > GREATEST(x.s, c.st)
              UNION ALL
              SELECT x.a, c.idx, c.p, NULL, GREATEST(x.s, c.st), LEAST(x.e, {a}) FROM ex x JOIN cl c ON x.b = c.p
                WHERE LEAST(x.e, {a}) > GREATEST(x.s, c.st)
            """;
        DuckDbSql.Execute(c, $"""
            -- Rule 1: windows from 00:00 local of (onset or sampling date) − N days to isolation, else report.
            CREATE TEMP TABLE w AS SELECT person_id AS p,
              COALESCE(epoch(onset_date::TIMESTAMP)::BIGINT - {o}, (epoch(sampling_time)::BIGINT + {o}) // 86400 * 86400 - {o}) - {n} AS ws,
              epoch(COALESCE(isolation_time, report_time))::BIGINT AS we
            FROM cs;
            -- Every stay since the earliest window in each time bucket it touches, so that the venue joins below compare only stays of the same bucket.
            CREATE TEMP TABLE ckb AS SELECT p, v, ti, tout, UNNEST(range(ti // {bucket}, (tout - 1) // {bucket} + 1)) AS d FROM ck WHERE tout > (SELECT MIN(ws) FROM w);
            -- Rule 2: the cases' stays clipped to their windows, then everyone at the same venue long enough; manual exposures both ways.
            CREATE TEMP TABLE src AS SELECT w.p AS idx, k.v, GREATEST(k.ti, w.ws) AS a, LEAST(k.tout, w.we) AS b
              FROM ck k JOIN w ON k.p = w.p WHERE LEAST(k.tout, w.we) - GREATEST(k.ti, w.ws) >= {m};
            CREATE TEMP TABLE qc AS
              SELECT o.p, s.idx, NULL::VARCHAR AS via, s.v, GREATEST(s.a, o.ti) AS st, LEAST(s.b, o.tout) AS en
                FROM (SELECT *, UNNEST(range(a // {bucket}, (b - 1) // {bucket} + 1)) AS d FROM src) s JOIN ckb o ON o.v = s.v AND o.d = s.d
                WHERE LEAST(s.b, o.tout) - GREATEST(s.a, o.ti) >= {m} AND o.p NOT IN (SELECT p FROM w)
              UNION ALL
              SELECT x.b, w.p, NULL, NULL, GREATEST(x.s, w.ws), LEAST(x.e, w.we) FROM ex x JOIN w ON x.a = w.p
                WHERE LEAST(x.e, w.we) > GREATEST(x.s, w.ws) AND x.b NOT IN (SELECT p FROM w)
              UNION ALL
              SELECT x.a, w.p, NULL, NULL, GREATEST(x.s, w.ws), LEAST(x.e, w.we) FROM ex x JOIN w ON x.b = w.p
                WHERE LEAST(x.e, w.we) > GREATEST(x.s, w.ws) AND x.a NOT IN (SELECT p FROM w);
            -- Rule 3: e is the earliest qualifying start; q is --as-of (no control orders in the store).
            CREATE TEMP TABLE cl AS SELECT DISTINCT ON (p) p, idx, via, v, st, en FROM qc ORDER BY p, st, idx, v NULLS LAST;
            -- Rule 4: the close contacts' stays clipped to [e, q), everyone else at the same venue; manual exposures both ways.
            CREATE TEMP TABLE src2 AS SELECT c.p AS via, c.idx, k.v, GREATEST(k.ti, c.st) AS a, LEAST(k.tout, {a}) AS b
              FROM ck k JOIN cl c ON k.p = c.p WHERE LEAST(k.tout, {a}) - GREATEST(k.ti, c.st) >= {m};
            -- Rules 4 and 5: the earliest overlap of each person who is neither a case nor a close contact.
            CREATE TEMP TABLE sc AS SELECT p, arg_min(idx, (st, idx, via, v)) AS idx, arg_min(via, (st, idx, via, v)) AS via, arg_min(v, (st, idx, via, v)) AS v, MIN(st) AS st, arg_min(en, (st, idx, via, v)) AS en FROM (
              {secondaryOverlaps}
            ) WHERE p NOT IN (SELECT p FROM w) AND p NOT IN (SELECT p FROM cl) GROUP BY p;
            COPY (
              SELECT p AS person_id, tier, idx AS index_person_id, via AS via_person_id, v AS venue_id,
                strftime(make_timestamp((st + {o}) * 1000000), '%Y-%m-%dT%H:%M:%S+08:00') AS exposure_start,
                strftime(make_timestamp((en + {o}) * 1000000), '%Y-%m-%dT%H:%M:%S+08:00') AS exposure_end
              FROM (SELECT *, 'close' AS tier, 0 AS k FROM cl UNION ALL SELECT *, 'secondary', 1 FROM sc) ORDER BY k, p
            ) TO '{answerFile.Replace("'", "''", StringComparison.Ordinal)}' (HEADER, DELIMITER ',');
            """);
        var answer = clock.Elapsed;
        // For the comparison (not timed): every qualifying overlap of a secondary contact.
        DuckDbSql.Execute(c, $"""
            CREATE TEMP TABLE qs AS
              {secondaryOverlaps};
            """);
        var close = DuckDbSql.Scalar(c, "SELECT COUNT(*) FROM cl");
        var secondary = DuckDbSql.Scalar(c, "SELECT COUNT(*) FROM sc");
        return new ContractBaselineResult(load, answer, close, secondary, Compare(c, fangkongFile));
    }

    private static ContractCheck Compare(DuckDBConnection c, string fangkongFile)
    {
        DuckDbSql.Execute(c, $"""
            CREATE TEMP TABLE fk AS SELECT person_id AS p, tier, index_person_id AS idx, via_person_id AS via, venue_id AS v,
              epoch(exposure_start)::BIGINT AS st, epoch(exposure_end)::BIGINT AS en
            FROM read_csv('{fangkongFile.Replace("'", "''", StringComparison.Ordinal)}', header = true, columns = {"{"}'person_id': 'VARCHAR', 'tier': 'VARCHAR', 'index_person_id': 'VARCHAR', 'via_person_id': 'VARCHAR', 'venue_id': 'VARCHAR', 'exposure_start': 'TIMESTAMPTZ', 'exposure_end': 'TIMESTAMPTZ'{"}"});
            CREATE TEMP TABLE want AS SELECT p, 'close' AS tier, st FROM cl UNION ALL SELECT p, 'secondary', st FROM sc;
            -- A close contact's tied cases, for checking the index of a secondary contact that came through it.
            CREATE TEMP TABLE ties AS SELECT DISTINCT q.p, q.idx FROM qc q JOIN cl USING (p) WHERE q.st = cl.st;
            """);
        var rows = DuckDbSql.Scalar(c, "SELECT COUNT(*) FROM fk");
        var missing = DuckDbSql.Scalar(c, "SELECT COUNT(*) FROM want w WHERE NOT EXISTS (SELECT 1 FROM fk WHERE fk.p = w.p AND fk.tier = w.tier)");
        var extra = DuckDbSql.Scalar(c, "SELECT COUNT(*) FROM fk WHERE NOT EXISTS (SELECT 1 FROM want w WHERE fk.p = w.p AND fk.tier = w.tier)");
        var wrongStart = DuckDbSql.Scalar(c, "SELECT COUNT(*) FROM fk JOIN want w ON fk.p = w.p AND fk.tier = w.tier WHERE fk.st <> w.st");
        var notQualifying = DuckDbSql.Scalar(c, """
            SELECT COUNT(*) FROM fk WHERE NOT (
              (tier = 'close' AND EXISTS (SELECT 1 FROM qc q WHERE q.p = fk.p AND q.idx = fk.idx AND q.v IS NOT DISTINCT FROM fk.v AND q.st = fk.st AND q.en = fk.en))
              OR (tier = 'secondary' AND EXISTS (SELECT 1 FROM qs q JOIN ties t ON t.p = q.via
                    WHERE q.p = fk.p AND q.via = fk.via AND t.idx = fk.idx AND q.v IS NOT DISTINCT FROM fk.v AND q.st = fk.st AND q.en = fk.en)))
            """);
        return new ContractCheck(rows, missing, extra, wrongStart, notQualifying);
    }
}
