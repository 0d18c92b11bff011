; The Windows installer of Casebook (治理书记台账), built by .ci/release with
; Debian's makensis:
;   makensis -DVERSION=v1.2.0 -DVERSION4=1.2.0.0 -DSRCDIR=DIR -DOUTFILE=FILE casebook.nsi
; SRCDIR holds casebook.exe, casebook.ico and 使用说明.txt.
;
; It installs for the current user only, without administrator rights
; (government PCs often deny them): into %LOCALAPPDATA%\Programs\Casebook,
; with Start-menu and desktop shortcuts and an uninstall entry under HKCU.
; The casebooks live elsewhere (%AppData%\casebook, or wherever the user
; saved them) and the uninstaller never touches them.

; A 64-bit installer for the 64-bit app (Debian's NSIS ships the amd64 stubs);
; it also runs under a 64-bit-only Wine, as the release check does.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "WinVer.nsh"

!define PRODUCT "治理书记台账"
!define PRODUCT_EN "Casebook"
!define APPID "org.casebook.app"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define SHORTCUT "${PRODUCT}.lnk"

Name "${PRODUCT} ${PRODUCT_EN} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Casebook"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

!define MUI_ICON "${SRCDIR}\casebook.ico"
!define MUI_UNICON "${SRCDIR}\casebook.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\casebook.exe"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString NeedsWin10 ${LANG_SIMPCHINESE} "${PRODUCT}需要 Windows 10 或更新的版本（本机的 Windows 版本过旧）。"
LangString NeedsWin10 ${LANG_ENGLISH} "${PRODUCT_EN} needs Windows 10 or later."
LangString KeptData ${LANG_SIMPCHINESE} "台账文件保留在 $APPDATA\casebook，未删除。"
LangString KeptData ${LANG_ENGLISH} "Your casebooks are kept in $APPDATA\casebook."

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${PRODUCT} ${PRODUCT_EN}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${PRODUCT} ${PRODUCT_EN} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "Casebook"

Function .onInit
  ; Go programs need Windows 10 (or Server 2016) or later.
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP|MB_OK "$(NeedsWin10)" /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRCDIR}\casebook.exe"
  File "${SRCDIR}\使用说明.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\casebook.exe" "" "$INSTDIR\casebook.exe" 0
  CreateShortCut "$DESKTOP\${SHORTCUT}" "$INSTDIR\casebook.exe" "" "$INSTDIR\casebook.exe" 0

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${PRODUCT} ${PRODUCT_EN}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\casebook.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Casebook"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" ${SIZEKB}
SectionEnd

; The uninstaller removes what the installer put down and nothing else: the
; casebooks (%AppData%\casebook and any file the user saved elsewhere) and
; the app's preferences stay.
Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  Delete "$INSTDIR\casebook.exe"
  Delete "$INSTDIR\使用说明.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DetailPrint "$(KeptData)"
SectionEnd
