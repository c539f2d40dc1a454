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
        var people = index.Person.Distinct().Order().ToArray();
        return people.OrderBy(_ => rng.Next()).Take(count).Order().ToArray();
    }

    public static TracingMeasurement Fangkong(CheckinIndex fourDays, CheckinIndex lastDay, int[] indexPeople, int runs)
    {
        TracingAnswers? answers = null;
        var (q1, q2, q3) = (new double[runs], new double[runs], new double[runs]);
        var excluded = indexPeople.ToHashSet();
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            var close = CoPresence.ContactsOf(fourDays, indexPeople, Minimum, excluded);
            q1[r] = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var both = new HashSet<int>(excluded);
            both.UnionWith(close);
            var secondary = CoPresence.ContactsOfBySweep(fourDays, close, Minimum, both);
            q2[r] = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var pairs = CoPresence.CountPairs(lastDay, Minimum);
            q3[r] = clock.Elapsed.TotalMilliseconds;
            answers = new TracingAnswers([.. close.Order()], [.. secondary.Order()], pairs);
        }
        return new TracingMeasurement("Fangkong engine (in-memory index)", q1, q2, q3, fourDays.BytesPerCheckin, answers!);
    }

    public static TracingMeasurement DuckDb(IReadOnlyList<CheckinDay> fourDays, int lastDay, int[] indexPeople, int runs)
    {
        using var c = new DuckDBConnection("Data Source=:memory:");
        c.Open();
        Execute(c, "CREATE TABLE c (day INTEGER, venue INTEGER, person INTEGER, t_in BIGINT, t_out BIGINT)");
        using (var appender = c.CreateAppender("c"))
        {
            foreach (var d in fourDays)
            {
                for (var i = 0; i < d.Count; i++)
                {
                    appender.CreateRow().AppendValue(d.Day).AppendValue(d.Venue[i]).AppendValue(d.Person[i]).AppendValue(d.CheckIn(i)).AppendValue(d.CheckOut(i)).EndRow();
                }
            }
        }
        Execute(c, "CREATE TABLE idx (person INTEGER)");
        Execute(c, $"INSERT INTO idx VALUES {string.Join(',', indexPeople.Select(p => $"({p})"))}");
        Execute(c, "CHECKPOINT");
        var rows = fourDays.Sum(d => (long)d.Count);
        var bytes = Scalar(c, "SELECT SUM(memory_usage_bytes)::BIGINT FROM duckdb_memory()");

        // Candidate pairs joined on venue with the overlap written as two range conditions, which DuckDB
        // evaluates inside the join; the minimum-length filter on each side prunes before joining.
        const string q1 = """
            SELECT DISTINCT o.person FROM (SELECT * FROM c WHERE person IN (SELECT person FROM idx) AND t_out - t_in >= 900) s
            JOIN (SELECT * FROM c WHERE t_out - t_in >= 900) o ON o.venue = s.venue AND o.t_in <= s.t_out - 900 AND s.t_in <= o.t_out - 900
            WHERE o.person NOT IN (SELECT person FROM idx) AND LEAST(s.t_out, o.t_out) - GREATEST(s.t_in, o.t_in) >= 900
            """;
        string Q2(string close) => $"""
            SELECT DISTINCT o.person FROM (SELECT * FROM c WHERE person IN (SELECT person FROM {close}) AND t_out - t_in >= 900) s
            JOIN (SELECT * FROM c WHERE t_out - t_in >= 900) o ON o.venue = s.venue AND o.t_in <= s.t_out - 900 AND s.t_in <= o.t_out - 900
            WHERE o.person NOT IN (SELECT person FROM idx) AND o.person NOT IN (SELECT person FROM {close})
              AND LEAST(s.t_out, o.t_out) - GREATEST(s.t_in, o.t_in) >= 900
            """;
        var q3 = $"""
            WITH d AS (SELECT venue, t_in, t_out, ROW_NUMBER() OVER () AS id FROM c WHERE day = {lastDay} AND t_out - t_in >= 900)
            SELECT COUNT(*) FROM d a JOIN d b ON a.venue = b.venue AND b.t_in <= a.t_out - 900 AND a.t_in <= b.t_out - 900
            WHERE (a.t_in, a.id) < (b.t_in, b.id)
            """;
        var (t1, t2, t3) = (new double[runs], new double[runs], new double[runs]);
        int[] close = [], secondary = [];
        long pairs = 0;
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            close = Column(c, q1);
            t1[r] = clock.Elapsed.TotalMilliseconds;
            Execute(c, "CREATE OR REPLACE TEMP TABLE close_contacts AS " + q1);
            clock.Restart();
            secondary = Column(c, Q2("close_contacts"));
            t2[r] = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            pairs = Scalar(c, q3);
            t3[r] = clock.Elapsed.TotalMilliseconds;
        }
        return new TracingMeasurement("DuckDB 1.5 (in-memory, best SQL)", t1, t2, t3, (double)bytes / rows, new TracingAnswers([.. close.Order()], [.. secondary.Order()], pairs));
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static long Scalar(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
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
