import { createBrowserRouter, Navigate } from 'react-router';
import { FullPageLoader } from '@/components/full-page-loader';
import { GuestOnly } from '@/features/accounts/GuestOnly';
import { RequireAuth } from '@/features/accounts/RequireAuth';
import { SignInPage } from '@/features/accounts/SignInPage';
import { SignUpPage } from '@/features/accounts/SignUpPage';
import { ConnectionsPage } from '@/features/connections/ConnectionsPage';
import { OnboardingPage } from '@/features/onboarding/OnboardingPage';
import { AppShell } from '@/features/shell/AppShell';
import { NotFoundPage } from '@/features/shell/NotFoundPage';
import { RouteErrorPage } from '@/features/shell/RouteErrorPage';

export const router = createBrowserRouter([
  {
    path: '/',
    errorElement: <RouteErrorPage />,
    // A full load of a lazy page waits for its chunk before anything renders: show what signing in shows meanwhile
    // (without one, React Router renders nothing and warns on every such load).
    hydrateFallbackElement: <FullPageLoader label="Loading Scout" />,
    children: [
      { index: true, element: <Navigate to="/chat" replace /> },
      // A dashboard's share link: read-only and signed out, so outside RequireAuth and the app's frame.
      { path: 'shared/:token', lazy: async () => ({ Component: (await import('@/features/dashboards/SharedDashboardPage')).SharedDashboardPage }) },
      {
        element: <GuestOnly />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'sign-up', element: <SignUpPage /> },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          // An MCP client asking to use Scout: a focused card outside the app's frame, like signing in.
          { path: 'oauth/consent', lazy: async () => ({ Component: (await import('@/features/mcp/OAuthConsentPage')).OAuthConsentPage }) },
          {
            element: <AppShell />,
            children: [
              // The chat pulls in the AI SDK and a Markdown renderer: its own chunk, fetched when first opened.
              { path: 'chat/:threadId?', lazy: async () => ({ Component: (await import('@/features/chat/ChatPage')).ChatPage }) },
              { path: 'onboarding', element: <OnboardingPage /> },
              { path: 'data', lazy: async () => ({ Component: (await import('@/features/data/DataPage')).DataPage }) },
              { path: 'questions', lazy: async () => ({ Component: (await import('@/features/questions/QuestionsPage')).QuestionsPage }) },
              { path: 'questions/:questionId', lazy: async () => ({ Component: (await import('@/features/questions/QuestionPage')).QuestionPage }) },
              // The grid (react-grid-layout) comes with the dashboards only.
              { path: 'dashboards', lazy: async () => ({ Component: (await import('@/features/dashboards/DashboardsPage')).DashboardsPage }) },
              { path: 'dashboards/:dashboardId', lazy: async () => ({ Component: (await import('@/features/dashboards/DashboardPage')).DashboardPage }) },
              { path: 'publications', lazy: async () => ({ Component: (await import('@/features/publications/PublicationsPage')).PublicationsPage }) },
              // The connector forms pull in react-jsonschema-form: their own chunk too.
              { path: 'connectors', lazy: async () => ({ Component: (await import('@/features/connectors/ConnectorsPage')).ConnectorsPage }) },
              {
                path: 'settings',
                children: [
                  { index: true, element: <Navigate to="/settings/connections" replace /> },
                  { path: 'connections', element: <ConnectionsPage /> },
                  { path: 'members', lazy: async () => ({ Component: (await import('@/features/members/MembersPage')).MembersPage }) },
                  { path: 'mcp', lazy: async () => ({ Component: (await import('@/features/mcp/McpAccessPage')).McpAccessPage }) },
                  { path: 'account', lazy: async () => ({ Component: (await import('@/features/accounts/settings/AccountSettingsPage')).AccountSettingsPage }) },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);
