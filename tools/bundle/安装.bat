@echo off
rem Installs score for this user, offline, from this folder's wheels\ (no administrator rights needed).
rem Saved in GBK with CRLF by tools/windows_bundle.py: cmd.exe reads a batch file in the console's code page.
chcp 936 >nul
setlocal EnableExtensions
title 安装评分程序
if not defined SCORE_HOME set "SCORE_HOME=%USERPROFILE%\score"
set "PY="
call :try py -3.13
if not defined PY call :try py -3.12
if not defined PY call :try py -3.11
if not defined PY call :try python
if not defined PY call :try "%LOCALAPPDATA%\Programs\Python\Python313\python.exe"
if not defined PY call :try "%LOCALAPPDATA%\Programs\Python\Python312\python.exe"
if not defined PY call :try "%LOCALAPPDATA%\Programs\Python\Python311\python.exe"
if not defined PY if exist "%~dp0uv\uv.exe" if exist "%SCORE_HOME%\python\" goto useuv
if not defined PY goto nopython
%PY% "%~dp0install.py"
if errorlevel 1 goto failed
echo.
pause
exit /b 0

:try
%* -c "import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) and sys.maxsize > 2**32 else 1)" >nul 2>&1
if not errorlevel 1 set PY=%*
exit /b 0

:nopython
echo 本机没有找到 64 位的 Python 3.11、3.12 或 3.13。请任选一种办法：
echo.
echo 办法一（推荐）：安装 Python 3.12
echo   到 https://www.python.org/downloads/windows/ 下载 Python 3.12 的“Windows installer (64-bit)”；
echo   单位电脑不能上外网时，请信息科把这个安装包拷给您（或从软件中心安装 Python 3.12）。
echo   双击安装包，勾选下方的“Add python.exe to PATH”，点“Install Now”——装在自己的用户文件夹，
echo   不需要管理员权限。装好后再双击本文件夹中的“安装.bat”。
echo.
if not exist "%~dp0uv\uv.exe" goto waitexit
echo 办法二：由本安装包附带的 uv 下载 Python 3.12（需要能上网，或单位有 Python 镜像；不需要管理员权限）
echo   默认从 GitHub 下载；要从镜像下载，先设置环境变量 UV_PYTHON_INSTALL_MIRROR 为镜像地址
echo   （见“使用说明.txt”），再双击本文件。
if defined UV_PYTHON_INSTALL_MIRROR echo   当前镜像：%UV_PYTHON_INSTALL_MIRROR%
echo.
choice /c YN /m "现在用办法二下载安装 Python 3.12 吗？按 Y 下载，按 N 退出"
if errorlevel 2 goto waitexit
set "UV_PYTHON_INSTALL_DIR=%SCORE_HOME%\python"
"%~dp0uv\uv.exe" python install 3.12
if errorlevel 1 goto uvfailed

:useuv
rem A Python that uv installed earlier into %SCORE_HOME%\python: found there, nothing downloaded.
set "UV_PYTHON_INSTALL_DIR=%SCORE_HOME%\python"
"%~dp0uv\uv.exe" run --no-project --python 3.12 --python-preference only-managed "%~dp0install.py"
if errorlevel 1 goto failed
echo.
pause
exit /b 0

:uvfailed
echo.
echo 下载 Python 没有成功（上面是 uv 的说明）：本机可能不能访问 GitHub。请用办法一，或设置镜像后重试。
goto waitexit

:failed
echo.
echo 安装没有完成，请把本窗口的内容截图发给技术支持。

:waitexit
echo.
pause
exit /b 1
