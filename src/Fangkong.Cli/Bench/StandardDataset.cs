using System.Globalization;
using System.Text;
using Fangkong.Time;

namespace Fangkong.Cli.Bench;

/// <summary>
/// The standard benchmark data set (tracing issue): by default 1,000,000 people, 50,000 venues with
/// Zipf-like popularity (weight 1 / rank^s, s = 0.5 by default), 14 days, 2–4 check-ins a person a
/// day of 5–120 minutes (~42 M check-ins), written as SPEC 4.1 CSV files. Deterministic for a seed.
/// </summary>
/// <remarks>
/// s = 0.5 puts 0.22 % of the stays (~6,700 a day) at the busiest of 50,000 venues, a large
/// supermarket's day; it is also what the tracing issue's reference figures imply (a plain venue
/// self-join over a day's 3 M stays yields ~2.6·10⁸ candidate pairs, DuckDB's 10.7 s). With s = 0.9
/// the busiest venue takes 5 % of the city's stays (210,000 a day), which no venue holds.
/// </remarks>
internal sealed class StandardDataset(int people, int venues, int days, int seed, double zipf = StandardDataset.DefaultZipf)
{
    public const double DefaultZipf = 0.5;

    public static readonly DateOnly LastDay = new(2021, 10, 22);

    public DateOnly FirstDay => LastDay.AddDays(1 - days);

    public static string PersonsFile(string dir) => Path.Combine(dir, "persons.csv");

    public static string VenuesFile(string dir) => Path.Combine(dir, "venues.csv");

    public static string CheckinsFile(string dir) => Path.Combine(dir, "checkins.csv");

    /// <summary>Writes the three files unless they exist already with the same shape (a marker file records it).</summary>
    public long Write(string dir)
    {
        Directory.CreateDirectory(dir);
        var marker = Path.Combine(dir, "dataset.txt");
        var shape = string.Create(CultureInfo.InvariantCulture, $"people={people} venues={venues} days={days} seed={seed} zipf={zipf}");
        if (File.Exists(marker) && File.ReadAllLines(marker) is [var s, var n] && s == shape)
        {
            return long.Parse(n, CultureInfo.InvariantCulture);
        }
        using (var w = Open(PersonsFile(dir)))
        {
            w.Write("person_id,name\n");
            for (var p = 0; p < people; p++)
            {
                w.Write($"P{p:0000000},人{p}\n");
            }
        }
        using (var w = Open(VenuesFile(dir)))
        {
            w.Write("venue_id,type\n");
            string[] types = ["restaurant", "supermarket", "market", "office", "school", "gym", "cinema", "ktv", "hotel", "mall"];
            for (var v = 0; v < venues; v++)
            {
                w.Write($"V{v:000000},{types[v % types.Length]}\n");
            }
        }
        var rows = WriteCheckins(CheckinsFile(dir));
        File.WriteAllLines(marker, [shape, rows.ToString(CultureInfo.InvariantCulture)]);
        return rows;
    }

    private static StreamWriter Open(string path) => new(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };

    private long WriteCheckins(string path)
    {
        var rng = new Random(seed);
        // Zipf-like popularity over venues: weight 1 / rank^s, sampled by binary search.
        var cumulative = new double[venues];
        var total = 0.0;
        for (var i = 0; i < venues; i++)
        {
            cumulative[i] = total += 1 / Math.Pow(i + 1, zipf);
        }
        var calendar = DeploymentCalendar.Default;
        long rows = 0;
        var line = new char[128];
        using var w = Open(path);
        w.Write("person_id,venue_id,check_in,check_out\n");
        for (var d = 0; d < days; d++)
        {
            var date = FirstDay.AddDays(d);
            var midnight = calendar.StartOfDay(date);
            for (var p = 0; p < people; p++)
            {
                var visits = rng.Next(2, 5);
                var t = midnight + (7 * 60 + rng.Next(240)) * 60L;
                for (var k = 0; k < visits; k++)
                {
                    var i = Array.BinarySearch(cumulative, rng.NextDouble() * total);
                    var venue = i < 0 ? ~i : i;
                    var stay = rng.Next(5, 121) * 60L;
                    var n = 0;
                    n += Put(line, n, 'P', p, 7);
                    line[n++] = ',';
                    n += Put(line, n, 'V', venue, 6);
                    line[n++] = ',';
                    n += Time(line, n, t, midnight, date);
                    line[n++] = ',';
                    n += Time(line, n, t + stay, midnight, date);
                    line[n++] = '\n';
                    w.Write(line, 0, n);
                    rows++;
                    t += stay + rng.Next(10, 90) * 60L;
                }
            }
        }
        return rows;
    }

    private static int Put(char[] buffer, int at, char prefix, int value, int digits)
    {
        buffer[at] = prefix;
        for (var i = digits; i >= 1; i--, value /= 10)
        {
            buffer[at + i] = (char)('0' + value % 10);
        }
        return digits + 1;
    }

    // yyyy-MM-ddTHH:mm:ss+08:00 for times in the deployment zone (fixed +08:00 offset).
    private static int Time(char[] buffer, int at, long t, long midnight, DateOnly date)
    {
        var seconds = t - midnight;
        if (seconds >= 86400)
        {
            date = date.AddDays((int)(seconds / 86400));
            seconds %= 86400;
        }
        var text = $"{date:yyyy-MM-dd}T{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}+08:00";
        text.CopyTo(0, buffer, at, text.Length);
        return text.Length;
    }
}
