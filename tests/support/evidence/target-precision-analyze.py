import re,sys,datetime as dt
from zoneinfo import ZoneInfo
d=sys.argv[1]
commits={}
for l in open(d+'/waldump.txt'):
    m=re.search(r'tx:\s+(\d+),.*desc: COMMIT (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+)',l)
    if m:
        t=dt.datetime.fromisoformat(m.group(2)).replace(tzinfo=ZoneInfo('America/New_York'))
        commits[int(m.group(1))]=t
def parse(s):  # '2026-12-01 09:20:31.123+01'
    return dt.datetime.fromisoformat(s[:-3]+'+01:00')
n=lost=lost_us=0; gaps=[]
rows=[]
for l in open(d+'/targets.txt'):
    name,xid,ms,us=l.strip().split('|')
    c=commits[int(xid)]; tms=parse(ms); tus=parse(us)
    n+=1; gaps.append((tus-c).total_seconds()*1e6)
    if tms<c: lost+=1; rows.append((name,xid,c.astimezone(ZoneInfo('UTC')),ms))
    if tus<c: lost_us+=1
gaps.sort()
print(f"{n} commits; ms-cut target before its own commit: {lost} ({100*lost/n:.0f}%); µs target before it: {lost_us}")
print(f"commit -> target taken: median {gaps[len(gaps)//2]:.0f} µs, min {gaps[0]:.0f}, max {gaps[-1]:.0f}")
for r in rows[:3]: print("  e.g.", r[0], "xid", r[1], "commit", r[2].isoformat(), "target", r[3])
