using System.Diagnostics;
using DuckDB.NET.Data;
using Fangkong.Storage.Checkins;
using Fangkong.Tracing;

namespace Fangkong.Cli.Bench;

/// <summary>The three benchmark questions' answers, compared between engines.</summary>
internal sealed record TracingAnswers(int[] Close, int[] Secondary, long Pairs);

/// <summary>One engine's timings (several runs each) and memory.</summary>
internal sealed record TracingMeasurement(string Engine, double[] Q1Ms, double[] Q2Ms, double[] Q3Ms, double BytesPerCheckin, TracingAnswers Answers);

/// <summary>
/// Q1: close contacts (≥ 15 min at a venue) of 100 random people over the last 4 days; Q2: their
/// contacts in turn (the same rule; index people and close contacts excluded), as distinct people;
/// Q3: the number of co-present check-in pairs (≥ 15 min, each unordered pair once) over all venues
/// for the last day. Fangkong's engine and DuckDB answer on the same check-ins, read from the store.
/// </summary>
internal static class TracingBenchmark
{
    public const long Minimum = 15 * 60;

    public static int[] PickIndexPeople(CheckinIndex index, int count, int seed)
    {
        var rng = new Random(seed);
        var picked = new SortedSet<int>();
        for (var tries = 0; picked.Count < count && tries < 100 * count + 1000; tries++)
        {
            var p = rng.Next(index.PersonLimit);
            if (index.Holds(p))
            {
                picked.Add(p);
            }
        }
        return [.. picked];
    }

    public static TracingMeasurement Fangkong(CheckinIndex fourDays, CheckinIndex lastDay, int[] indexPeople, int runs)
    {
        TracingAnswers? answers = null;
        var (q1, q2, q3) = (new double[runs], new double[runs], new double[runs]);
        for (var r = 0; r < runs; r++)
        {
            // Each query starts from a collected heap (outside the time), as a benchmark harness does.
            Settle();
            var clock = Stopwatch.StartNew();
            var excluded = PersonSet.Of(indexPeople, fourDays.PersonLimit);
            var close = CoPresence.ContactsOf(fourDays, indexPeople, Minimum, excluded);
            q1[r] = clock.Elapsed.TotalMilliseconds;
            Settle();
            clock.Restart();
            excluded.UnionWith(close);
            var secondary = CoPresence.ContactsOfBySweep(fourDays, close, Minimum, excluded);
            q2[r] = clock.Elapsed.TotalMilliseconds;
            Settle();
            clock.Restart();
            var pairs = CoPresence.CountPairs(lastDay, Minimum);
            q3[r] = clock.Elapsed.TotalMilliseconds;
            answers = new TracingAnswers(close.ToArray(), secondary.ToArray(), pairs);
        }
        return new TracingMeasurement("Fangkong engine (in-memory index)", q1, q2, q3, fourDays.BytesPerCheckin, answers!);
    }

    /// <summary>
    /// Appends <paramref name="rows"/> synthetic check-ins to <paramref name="index"/> in batches, as
    /// uploads arrive: 90 % on the last day, 10 % late for the days before; times the appends alone.
    /// </summary>
    public static (long Rows, double Seconds) Appends(CheckinIndex index, int rows, int batch, int seed)
    {
        var rng = new Random(seed);
        var lastDay = index.LastDayStart;
        var batches = new List<(int[] Venue, int[] Person, long[] Start, long[] End)>();
        for (var done = 0; done < rows; done += batch)
        {
            var n = Math.Min(batch, rows - done);
            var (venue, person, start, end) = (new int[n], new int[n], new long[n], new long[n]);
            for (var i = 0; i < n; i++)
            {
                venue[i] = rng.Next(index.VenueLimit);
                person[i] = rng.Next(index.PersonLimit);
                var day = rng.Next(10) == 0 ? rng.Next(1, 4) : 0;
                start[i] = lastDay - day * CheckinIndex.Day + 7 * 3600 + rng.Next(14 * 3600);
                end[i] = start[i] + 60 * rng.Next(5, 121);
            }
            batches.Add((venue, person, start, end));
        }
        Settle();
        var clock = Stopwatch.StartNew();
        var current = index;
        foreach (var (venue, person, start, end) in batches)
        {
            current = current.Append(venue, person, start, end);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return (current.Count - index.Count, seconds);
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    public static TracingMeasurement DuckDb(IReadOnlyList<CheckinDay> fourDays, int lastDay, int[] indexPeople, int runs)
    {
        using var c = new DuckDBConnection("Data Source=:memory:");
        c.Open();
        DuckDbSql.Execute(c, "CREATE TABLE c (id BIGINT, day INTEGER, venue INTEGER, person INTEGER, t_in BIGINT, t_out BIGINT)");
        using (var appender = c.CreateAppender("c"))
        {
            long id = 0;
            foreach (var d in fourDays)
            {
                for (var i = 0; i < d.Count; i++)
                {
                    appender.CreateRow().AppendValue(id++).AppendValue(d.Day).AppendValue(d.Venue[i]).AppendValue(d.Person[i]).AppendValue(d.CheckIn(i)).AppendValue(d.CheckOut(i)).EndRow();
                }
            }
        }
        DuckDbSql.Execute(c, "CREATE TABLE idx (person INTEGER)");
        DuckDbSql.Execute(c, $"INSERT INTO idx VALUES {string.Join(',', indexPeople.Select(p => $"({p})"))}");
        DuckDbSql.Execute(c, "CHECKPOINT");
        var rows = fourDays.Sum(d => (long)d.Count);
        var bytes = DuckDbSql.Scalar(c, "SELECT SUM(memory_usage_bytes)::BIGINT FROM duckdb_memory()");

        // The best SQL found (each form measured against the others on the full data set):
        // Q1, few sources: their stays hash-joined to every stay at the same venue (a join on venue and a
        // 900-second grid point did 5× worse: its grid table is four times the rows to probe).
        var q1 = """
            SELECT DISTINCT o.person FROM (SELECT * FROM c WHERE person IN (SELECT person FROM idx) AND t_out - t_in >= 900) s
            JOIN c o ON o.venue = s.venue
            WHERE o.person NOT IN (SELECT person FROM idx) AND LEAST(s.t_out, o.t_out) - GREATEST(s.t_in, o.t_in) >= 900
            """;
        // Q2, many sources: one window pass per venue in start order — a stay meets an earlier source when
        // the latest source end so far is at least its start + 900, a later one when the next source start
        // is at most its end − 900 (4× faster than a grid join with a semi-join).
        var q2 = """
            WITH s AS (
              SELECT venue, person, t_in, t_out, person IN (SELECT person FROM close_contacts) AS src
              FROM c WHERE t_out - t_in >= 900),
            w AS (
              SELECT person, src, t_in, t_out,
                MAX(CASE WHEN src THEN t_out END) OVER (PARTITION BY venue ORDER BY t_in ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS m_prev,
                MIN(CASE WHEN src THEN t_in END) OVER (PARTITION BY venue ORDER BY t_in ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s_next
              FROM s)
            SELECT DISTINCT person FROM w
            WHERE NOT src AND (m_prev >= t_in + 900 OR s_next <= t_out - 900) AND person NOT IN (SELECT person FROM idx)
            """;
        // Q3: all pairs of a venue's stays lasting 900 s less those in which one ends less than 900 s after
        // the other starts, counted by one window over starts and (end − 900) thresholds in time order
        // (2× faster than counting grid-point pairs).
        var q3 = $"""
            WITH s AS (SELECT venue, t_in, t_out FROM c WHERE day = {lastDay} AND t_out - t_in >= 900),
            k AS (SELECT venue, COUNT(*) AS n FROM s GROUP BY venue),
            e AS (SELECT venue, t_in AS t, 1 AS is_start FROM s UNION ALL SELECT venue, t_out - 900 AS t, 0 AS is_start FROM s),
            r AS (SELECT venue, is_start, SUM(is_start) OVER (PARTITION BY venue ORDER BY t, is_start DESC ROWS UNBOUNDED PRECEDING) AS starts_le FROM e)
            SELECT ((SELECT SUM(n * (n - 1) // 2) FROM k) - (SELECT SUM(k.n - r.starts_le) FROM r JOIN k USING (venue) WHERE r.is_start = 0))::BIGINT
            """;
        var (t1, t2, t3) = (new double[runs], new double[runs], new double[runs]);
        int[] close = [], secondary = [];
        long pairs = 0;
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            close = Column(c, q1);
            t1[r] = clock.Elapsed.TotalMilliseconds;
            DuckDbSql.Execute(c, "CREATE OR REPLACE TEMP TABLE close_contacts AS " + q1);
            clock.Restart();
            secondary = Column(c, q2);
            t2[r] = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            pairs = DuckDbSql.Scalar(c, q3);
            t3[r] = clock.Elapsed.TotalMilliseconds;
        }
        return new TracingMeasurement("DuckDB 1.5 (in-memory, best SQL)", t1, t2, t3, (double)bytes / rows, new TracingAnswers([.. close.Order()], [.. secondary.Order()], pairs));
    }

    private static int[] Column(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var list = new List<int>();
        while (reader.Read())
        {
            list.Add(reader.GetInt32(0));
        }
        return [.. list];
    }
}
