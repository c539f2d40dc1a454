namespace Fangkong.Cases;

/// <summary>
/// A case (病例) keyed by the internal person id: its classification and the dates its tracing window
/// and timeliness come from; instants are Unix seconds. <see cref="CaseRules"/> says what it must hold.
/// </summary>
public sealed record StoredCase(int PersonId, CaseClassification Classification, DateOnly? OnsetDate, long? SamplingTime, long ReportTime, long? IsolationTime);
