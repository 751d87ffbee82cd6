import { Routes } from '@angular/router';

/** One lazily loaded feature folder per route keeps the initial bundle to the shell. */
export const routes: Routes = [
  { path: '', loadComponent: () => import('./features/home/home.page').then((m) => m.HomePage) },
  { path: 'bikes/:slug', loadComponent: () => import('./features/bike/bike.page').then((m) => m.BikePage) },
  { path: 'parts/:slug', loadComponent: () => import('./features/part/part.page').then((m) => m.PartPage) },
  { path: 'search', loadComponent: () => import('./features/search/search.page').then((m) => m.SearchPage) },
  { path: 'builds', loadComponent: () => import('./features/builds/my-builds.page').then((m) => m.MyBuildsPage) },
  { path: 'builds/new', loadComponent: () => import('./features/builds/new-build.page').then((m) => m.NewBuildPage) },
  { path: 'builds/:id', loadComponent: () => import('./features/builds/build.page').then((m) => m.BuildPage) },
  { path: 'sign-in', loadComponent: () => import('./features/sign-in/sign-in.page').then((m) => m.SignInPage) },
  { path: 'account', loadComponent: () => import('./features/account/account.page').then((m) => m.AccountPage) },
  { path: 'moderation', loadComponent: () => import('./features/moderation/moderation.page').then((m) => m.ModerationPage) },
  { path: 'pro', loadComponent: () => import('./features/pro/pro.page').then((m) => m.ProPage) },
  { path: '**', loadComponent: () => import('./features/not-found/not-found.page').then((m) => m.NotFoundPage) },
];
