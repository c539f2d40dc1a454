namespace Fangkong.Tests.Support;

/// <summary>A small, hand-checkable data set in SPEC 4.1's formats, in export column order.</summary>
public static class SampleFiles
{
    public static readonly string Alice = Ids.Resident("640104", new DateOnly(1985, 4, 12), 2);   // female
    public static readonly string Bo = Ids.Resident("640105", new DateOnly(1990, 1, 31), 11);     // male
    public static readonly string Chen = Ids.Resident("640302", new DateOnly(2001, 12, 1), 5);    // male

    public static string Persons => $"""
        person_id,id_type,id_number,name,sex,birth_date,phone,community_code,address
        a,resident_id,{Alice},王丽,F,1985-04-12,13912345678,640104,"兴庆区解放街1号, 3单元"
        b,resident_id,{Bo},马强,M,1990-01-31,+8618612345678,640105,
        c,resident_id,{Chen},"李""小""明",M,2001-12-01,,640302,利通区
        d,passport,E12345678,John Smith,,,,,
        """;

    public const string Venues = """
        venue_id,name,type,community_code,capacity,enclosed
        v1,万达影城,cinema,640104,300,true
        v2,清真牛肉面馆,restaurant,640105,40,false
        v3,银川站,station,640106,,
        """;

    public const string Checkins = """
        person_id,venue_id,check_in,check_out
        a,v1,2021-10-16T19:00:00+08:00,2021-10-16T21:00:00+08:00
        b,v1,2021-10-16T19:30:00+08:00,2021-10-16T20:30:00+08:00
        c,v2,2021-10-17T12:00:00+08:00,2021-10-17T12:40:00+08:00
        a,v2,2021-10-17T23:50:00+08:00,2021-10-18T00:30:00+08:00
        """;

    public const string Exposures = """
        person_id,other_person_id,setting,start,end
        a,d,household,2021-10-15T00:00:00+08:00,2021-10-18T08:00:00+08:00
        """;

    public const string Cases = """
        person_id,classification,onset_date,sampling_time,report_time,isolation_time
        a,confirmed,2021-10-17,2021-10-17T10:00:00+08:00,2021-10-18T09:00:00+08:00,2021-10-18T11:00:00+08:00
        c,asymptomatic,,2021-10-18T08:00:00+08:00,2021-10-18T20:00:00+08:00,
        """;
}
