using Fangkong.People;

namespace Fangkong.Tests.People;

public sealed class ResidentIdTests
{
    // The two worked examples printed in GB 11643-1999 itself.
    [Theory]
    [InlineData("11010519491231002X", "1949-12-31", Sex.Female)]
    [InlineData("440524188001010014", "1880-01-01", Sex.Male)]
    public void TryParse_ExamplesFromTheStandard_AreValid(string number, string birth, Sex sex)
    {
        Assert.True(ResidentId.TryParse(number, out var id, out var error), error);
        Assert.Equal(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), id.BirthDate);
        Assert.Equal(sex, id.Sex);
        Assert.Equal(number[..6], id.RegionCode);
    }

    [Fact]
    public void TryParse_LowercaseX_IsAccepted()
    {
        Assert.True(ResidentId.TryParse("11010519491231002x", out var id, out _));
        Assert.Equal("11010519491231002X", id.Value);
    }

    [Theory]
    [InlineData("110105194912310021", "check digit is 1, expected X")]
    [InlineData("440524188001010015", "check digit is 5, expected 4")]
    [InlineData("11010519491331002X", "birth date 19491331 is not a valid date")]
    [InlineData("991234194912310021", "region code 991234 names no province")]
    [InlineData("110105491231002", "15-digit")]
    [InlineData("1101051949123100", "must have 18 characters")]
    [InlineData("1101051949A231002X", "character 11 must be a digit")]
    public void TryParse_BadNumbers_SayWhy(string number, string reason)
    {
        Assert.False(ResidentId.TryParse(number, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeCheckCharacter_ChangingAnyDigit_ChangesTheCheck()
    {
        // MOD 11-2 detects every single-digit substitution: an independent property of the weights.
        const string body = "64010419850412000";
        var check = ResidentId.ComputeCheckCharacter(body);
        for (var i = 0; i < 17; i++)
        {
            for (var d = '0'; d <= '9'; d++)
            {
                if (d == body[i])
                {
                    continue;
                }
                var changed = body[..i] + d + body[(i + 1)..];
                Assert.NotEqual(check, ResidentId.ComputeCheckCharacter(changed));
            }
        }
    }

    [Theory]
    [InlineData("13812345678", true)]
    [InlineData("+8619912345678", true)]
    [InlineData("12812345678", false)]
    [InlineData("1381234567", false)]
    [InlineData("0951-1234567", false)]
    public void PhoneNumber_FollowsTheSpecPattern(string phone, bool valid) => Assert.Equal(valid, PhoneNumber.IsValid(phone));
}
