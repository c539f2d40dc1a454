using Fangkong.People;

namespace Fangkong.Tests.Support;

/// <summary>Builds valid resident ID numbers for test data.</summary>
public static class Ids
{
    public static string Resident(string region, DateOnly birth, int sequence)
    {
        var body = $"{region}{birth:yyyyMMdd}{sequence:000}";
        return body + ResidentId.ComputeCheckCharacter(body);
    }
}
