namespace Fangkong.Tasks;

/// <summary>
/// The keys of the tasks the loop makes, one definition each. A key names what the task is about, so
/// that making the same task twice (a re-run sync, a clock tick) finds the one already there. The
/// <c>…Sql</c> forms build the same keys from columns inside a query.
/// </summary>
public static class TaskKeys
{
    /// <summary>Tell the person their measure (告知).</summary>
    public static string Notify(long order) => $"notify:{order}";

    /// <summary>The point-to-point transfer of a new order; after a move from home to a site, one per order version.</summary>
    public static string Transfer(long order, int? version = null) => version is null ? $"transfer:{order}" : $"transfer:{order}:{version}";

    /// <summary>Review an order whose reason has gone, at the order's version.</summary>
    public static string Review(long order, int version) => $"review:{order}:{version}";

    /// <summary>A scheduled test not sampled on its day.</summary>
    public static string Test(long order, DateOnly due) => $"test:{order}:{Day(due)}";

    /// <summary><see cref="Test"/> in SQL, from an order id column and a due date column (ISO text).</summary>
    public static string TestSql(string orderColumn, string dueColumn) => $"'test:' || {orderColumn} || ':' || {dueColumn}";

    /// <summary>A day without the policy's health checks.</summary>
    public static string HealthCheck(long order, DateOnly day) => $"health:{order}:{Day(day)}";

    /// <summary>A fever or a symptom reported at a health check, at the moment it was reported.</summary>
    public static string Fever(long order, long at) => $"fever:{order}:{at}";

    /// <summary>The release review once the planned end has come.</summary>
    public static string Release(long order) => $"release:{order}";

    /// <summary>Find a person marked lost (失联), at the order's version; in SQL from parameters.</summary>
    public static string FindSql(string orderParameter, string versionParameter) => $"'find:' || {orderParameter} || ':' || {versionParameter}";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
