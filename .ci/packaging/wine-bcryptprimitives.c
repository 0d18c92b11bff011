/*
 * A stand-in for bcryptprimitives.dll, for the release check under Wine only:
 * it is never shipped. Go's Windows runtime (since Go 1.24) calls
 * ProcessPrng from bcryptprimitives.dll, which every Windows 10 and 11 has
 * but Debian 12's Wine 8.0 lacks (later Wine versions have it), so a Go
 * program there stops at start with "bcryptprimitives.dll not found". This
 * DLL exports ProcessPrng on top of RtlGenRandom (advapi32's
 * SystemFunction036), which Wine 8.0 does have. .ci/release-check compiles it
 * with mingw-w64 into the test's throwaway Wine prefix.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
